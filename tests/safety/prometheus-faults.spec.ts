import { constantRate, eventsOf, ExitCode, Ledger, scenario, type JournalEntry, type RunResult } from '../../core/index.ts';
import { Journal } from '../../core/index.ts';
import { requestAvailabilityGuardrail } from '../../assertions/index.ts';
import { runOnLab } from '../../scenarios/lab-run.ts';
import { activeToxics } from '../support/lab-probes.ts';
import { startCli } from '../support/faultline-cli.ts';
import { PrometheusFront } from './support/prometheus-front.ts';
import { sessionJournal } from './support/outage.ts';
import { expect, HOLD_THROUGH_GUARDRAILS, test } from './support/safety-lab.ts';

// Prometheus is the record SLOs are judged from. When it hangs, slows down or errors while a fault is held, the
// harness must fail closed (revert everything, inconclusive) within a couple of its read deadlines, and judge the
// SLOs afterwards without waiting out a timeout per SLO. Ports 22195 (toxiproxy in front of Prometheus) and 22196, above
// the safety lab's own 22000-22099 (its Vault nodes took 22095 and 22096 when the secret store joined the lab).

/** The journal's story of a fail-closed run: the breach, the revert, and how many SLO reads were really attempted. */
function failClosedStory(entries: JournalEntry[]) {
  const breach = eventsOf(entries, 'guardrail').find((g) => g.breached);
  const reverts = eventsOf(entries, 'revert');
  const slos = eventsOf(entries, 'slo').map((s) => s.result);
  return { breach, reverts, slos, asked: slos.filter((s) => !s.reason.startsWith('not judged')) };
}

test('Prometheus hung (SIGSTOP) mid-partition: reverted and inconclusive while it is still hung, SLOs not waited for one by one', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  const run = startCli(['inject', 'partition', 'jkt', 'bdg', '--for', '2m', '--rate', '10', ...HOLD_THROUGH_GUARDRAILS, '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
  let stopped = false;
  try {
    await expect.poll(() => run.output(), { timeout: 60_000, message: 'the fault was never injected' }).toMatch(/injected /);
    process.kill(lab.prometheus.pid, 'SIGSTOP');
    stopped = true;
    // The whole run ends while Prometheus is still frozen: nothing in it may wait for Prometheus to come back.
    const { code } = await run.exited;
    expect(await activeToxics(lab)).toEqual([]);
    expect(code, run.output()).toBe(ExitCode.inconclusive);
    expect(run.output()).toMatch(/Prometheus answers.* could not be evaluated 2 times in a row/);
    const story = failClosedStory(sessionJournal(session));
    expect(story.breach?.name).toBe('Prometheus answers');
    expect(story.reverts.map((r) => [r.reason, r.ok])).toEqual([['guardrail', true]]);
    // One SLO read found Prometheus unreadable; the other SLOs were not asked (each would have waited again).
    expect(story.asked.filter((s) => s.unreadable)).toHaveLength(1);
    expect(story.slos.length - story.asked.length).toBeGreaterThan(3);
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
  } finally {
    if (stopped) process.kill(lab.prometheus.pid, 'SIGCONT');
    run.child.kill('SIGINT');
    await run.exited;
  }
});

/** A short partition under load, its SLOs and guardrails read from `prometheusUrl`. */
function partitionReadFrom(prometheusUrl: string, session: string, runDir: string, signal: AbortSignal): Promise<RunResult> {
  const s = scenario('prometheus-sick', 'tri-region-tgw')
    .load(constantRate(10, ['jkt', 'bdg', 'sby']))
    .timeline({ warmup: '3s', baseline: '5s', recovery: '5s' })
    .inject({ kind: 'partition', regions: ['jkt', 'bdg'] }, { for: '2m' })
    .expect(
      { name: 'jkt availability (steady state)', kind: 'availability', region: 'jkt', window: 'baseline', objective: 0.95 },
      { name: 'jkt availability during', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
      { name: 'sby availability during', kind: 'availability', region: 'sby', window: 'during', objective: 0.99 },
      { name: 'bdg reads during', kind: 'availability', region: 'bdg', route: 'read', window: 'during', objective: 0.99 },
      { name: 'jkt availability after', kind: 'availability', region: 'jkt', window: 'after', objective: 0.99 },
      { name: 'jkt p95 after', kind: 'latency', region: 'jkt', quantile: 0.95, window: 'after', objective: '1s' },
    )
    .guardrail(requestAvailabilityGuardrail('jkt floor', { region: 'jkt', below: 0.5 }))
    .build();
  return runOnLab(s, { runDir, sessionDir: session, prometheusUrl, handleSignals: false, signal });
}

async function untilInjected(journalDir: string): Promise<void> {
  await expect
    .poll(() => {
      try {
        return Journal.read(journalDir).some((e) => e.type === 'inject');
      } catch {
        return false;
      }
    }, { timeout: 60_000 })
    .toBe(true);
}

test('Prometheus answering after 5 s mid-partition: reverted, inconclusive, the verdict bounded', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  const api = lab.toxiproxy.apiUrl;
  const proxy = { name: 'safety-prometheus', listen: '127.0.0.1:22195', upstream: `127.0.0.1:${lab.prometheus.port}`, enabled: true };
  await fetch(`${api}/proxies`, { method: 'POST', body: JSON.stringify(proxy) });
  const abort = new AbortController();
  try {
    const pending = partitionReadFrom('http://127.0.0.1:22195', session, lab.runDir, abort.signal);
    await untilInjected(await journalPath(session));
    // Real Prometheus behind real toxiproxy, every answer now 5 s late.
    await fetch(`${api}/proxies/${proxy.name}/toxics`, { method: 'POST', body: JSON.stringify({ name: 'slow', type: 'latency', stream: 'downstream', attributes: { latency: 5_000 } }) });
    const result = await pending;
    expect(result.outcome, result.reason).toBe('inconclusive');
    expect(result.exitCode).toBe(ExitCode.inconclusive);
    const story = failClosedStory(Journal.read(result.journalPath));
    expect(story.breach?.name).toBe('Prometheus answers');
    expect(story.breach?.error).toMatch(/no answer within 500 ms/);
    expect(story.reverts.map((r) => [r.reason, r.ok])).toEqual([['guardrail', true]]);
    expect(story.asked.filter((s) => s.unreadable)).toHaveLength(1);
    expect(story.asked.find((s) => s.unreadable)?.reason).toMatch(/did not answer within 2s/);
    // Only the test's own slowness is left on toxiproxy (it is removed below): the partition is gone.
    expect(await activeToxics(lab)).toEqual([`${proxy.name}/slow`]);
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
  } finally {
    abort.abort();
    await fetch(`${api}/proxies/${proxy.name}`, { method: 'DELETE' });
  }
});

test('Prometheus answering errors mid-partition: reverted, inconclusive, the verdict bounded', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  await using front = new PrometheusFront(22196, lab.prometheus.url);
  await front.start();
  const abort = new AbortController();
  try {
    const pending = partitionReadFrom(front.url, session, lab.runDir, abort.signal);
    await untilInjected(await journalPath(session));
    front.failing = true;
    const result = await pending;
    expect(result.outcome, result.reason).toBe('inconclusive');
    const story = failClosedStory(Journal.read(result.journalPath));
    expect(story.breach?.name).toBe('Prometheus answers');
    expect(story.breach?.error).toMatch(/unavailable: simulated/);
    expect(story.reverts.map((r) => [r.reason, r.ok])).toEqual([['guardrail', true]]);
    expect(story.asked.filter((s) => s.unreadable)).toHaveLength(1);
    expect(await activeToxics(lab)).toEqual([]);
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
  } finally {
    abort.abort();
  }
});

/** The journal file the run in `session` writes, once it exists. */
async function journalPath(session: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(() => {
      try {
        const entries = sessionJournal(session);
        found = entries.length ? `${session}/journals/${entries[0]!.type === 'run-start' ? entries[0]!.runId : ''}.jsonl` : undefined;
      } catch {
        found = undefined;
      }
      return found;
    }, { timeout: 30_000 })
    .toBeDefined();
  return found!;
}
