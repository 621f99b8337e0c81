import { eventsOf, ExitCode, Ledger, readRequestLines, type JournalEntry, type RequestEvent } from '../../core/index.ts';
import { activeToxics } from '../support/lab-probes.ts';
import { startCli } from '../support/faultline-cli.ts';
import { freezeIngress, sessionJournal } from './support/outage.ts';
import { expect, test } from './support/safety-lab.ts';

// A real regional outage during an experiment: bdg's ingress frozen while `faultline inject` holds a fault. The
// guardrail reads k6's own request stream, so it must revert the fault while bdg's requests are still hanging,
// before k6's 3 s request timeout has ended a single one as failed. (A guardrail that needs failed requests in
// Prometheus, as before, only trips seconds after the first timeouts.)

test('a frozen ingress is caught from the request stream before any request to it has come back failed', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  const run = startCli(['inject', 'latency', 'jkt', 'sby', '1ms', '--for', '2m', '--rate', '10', '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
  let outage: ReturnType<typeof freezeIngress> | undefined;
  try {
    await expect.poll(() => run.output(), { timeout: 60_000, message: 'the fault was never injected' }).toMatch(/injected /);
    expect(await activeToxics(lab)).not.toEqual([]);
    const frozenAt = Date.now();
    outage = freezeIngress(lab, 'bdg');
    const { code } = await run.exited;
    outage.thaw();
    expect(code, run.output()).toBe(ExitCode.guardrailAbort);
    expect(run.output()).toMatch(/guardrail breach: bdg availability floor: 0(\.\d+)? < 0.5; reverting every fault now/);

    const entries = sessionJournal(session);
    const breach = eventsOf(entries, 'guardrail').find((g) => g.breached)!;
    expect(breach.name).toBe('bdg availability floor');
    expect(breach.samples).toBeGreaterThanOrEqual(5);
    const revert = eventsOf(entries, 'revert')[0]!;
    expect(revert).toMatchObject({ reason: 'guardrail', ok: true });
    // The point: when the guardrail tripped and when the fault was gone, no request sent to frozen bdg had come back
    // failed yet; they were all still hanging. The stream saw them as unanswered, not as errors.
    const failedBdg = streamOf(entries).filter((e) => e.region === 'bdg' && !e.ok && e.t >= frozenAt);
    expect(failedBdg.length, 'bdg requests timed out later, during recovery').toBeGreaterThan(0);
    expect(failedBdg.filter((e) => e.t <= revert.t)).toEqual([]);
    // Nothing left: no toxic, no ledger entry.
    expect(await activeToxics(lab)).toEqual([]);
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
  } finally {
    outage?.thaw();
    run.child.kill('SIGINT');
    await run.exited;
  }
});

/** The requests that came back, from the stream the journal names. */
function streamOf(entries: JournalEntry[]): RequestEvent[] {
  const stream = entries.find((e) => e.type === 'request-stream');
  if (!stream || stream.type !== 'request-stream') throw new Error('the journal names no request stream');
  return readRequestLines(stream.path).filter((l): l is RequestEvent => l.kind === 'end');
}
