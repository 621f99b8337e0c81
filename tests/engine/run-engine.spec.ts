import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  ExitCode,
  Journal,
  Ledger,
  eventsOf,
  runScenario,
  scenario,
  type FaultDriver,
  type FaultPlan,
  type LoadRunner,
  type SloJudge,
  type SloResult,
} from '../../core/index.ts';
import { triRegionTgw } from '../../targets/index.ts';

// The engine's control flow, with in-process stand-ins for the target, the load generator and Prometheus.
// Real components exercise the same engine in tests/gameday; here every exit path is driven on purpose.

interface Harness {
  applied: Set<string>;
  log: string[];
  ledger: Ledger;
  journal: Journal;
  driver: FaultDriver;
  load: LoadRunner & { started: number };
  judge: SloJudge & { value: () => number | undefined; guardrailValue: () => number | undefined };
}

function harness(opts: { failApplyOf?: string; value?: () => number | undefined; guardrailValue?: () => number | undefined } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-engine-'));
  const applied = new Set<string>();
  const log: string[] = [];
  const ledger = new Ledger(join(dir, 'ledger'));
  const driver: FaultDriver = {
    target: 'memory',
    async check(plan: FaultPlan) {
      return [];
    },
    async prepare(plan: FaultPlan) {
      return {
        plan,
        detail: {},
        revert: [{ type: 'driver', driver: 'memory', ref: { name: plan.name } }],
        async apply() {
          // The ledger must already know how to undo this fault.
          log.push(`apply ${plan.name} ledger=${ledger.list().some((e) => e.fault === plan.name)}`);
          if (opts.failApplyOf === plan.name) throw new Error('target refused');
          applied.add(plan.name);
        },
      };
    },
    revertHandlers: {
      memory: async (ref) => {
        log.push(`revert ${ref.name}`);
        applied.delete(String(ref.name));
      },
    },
  };
  const load = {
    started: 0,
    async start() {
      load.started++;
      const summary = { tool: 'memory', durationMs: 1, regions: [] };
      return { done: new Promise<never>(() => {}), stop: async () => summary };
    },
  };
  const judge = {
    value: opts.value ?? (() => 1),
    guardrailValue: opts.guardrailValue ?? (() => 1),
    async check() {
      return [];
    },
    async judge(slo: { name: string; kind: string; window: string; informational?: boolean }, windows: { whole: { start: number; end: number } }): Promise<SloResult> {
      const v = judge.value();
      const verdict = v === undefined ? 'inconclusive' : v >= 0.99 ? 'pass' : 'fail';
      return {
        name: slo.name,
        kind: slo.kind as SloResult['kind'],
        window: slo.window as SloResult['window'],
        range: windows.whole,
        verdict,
        informational: slo.informational ?? false,
        severity: 'critical',
        observed: v,
        objective: '≥ 99%',
        unit: 'ratio',
        query: 'test',
        reason: v === undefined ? 'no data' : `observed ${v}`,
      };
    },
    async read() {
      return judge.guardrailValue();
    },
  };
  const journal = new Journal(join(dir, 'journal.jsonl'));
  return { applied, log, ledger, journal, driver, load, judge: judge as Harness['judge'] };
}

const quick = (faults = 2) => {
  const b = scenario('engine-test', 'tri-region-tgw')
    .load({ regions: { jkt: { executor: 'constant-arrival-rate', rate: 1 } }, writeRatio: 0 })
    .timeline({ warmup: '0s', baseline: '50ms', recovery: '50ms' })
    .expect(
      { name: 'steady availability', kind: 'availability', region: 'jkt', window: 'baseline', objective: 0.99 },
      { name: 'availability', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
    )
    .guardrail({ name: 'floor', query: 'up', comparator: '<', threshold: 0.5 });
  for (let i = 0; i < faults; i++) b.inject({ kind: 'partition', regions: ['jkt', 'bdg'] }, { for: '400ms', at: `${i * 50}ms`, name: `p${i}` });
  return b.build();
};

function run(h: Harness, s = quick(), extra: Partial<Parameters<typeof runScenario>[0]> = {}) {
  return runScenario({
    scenario: s,
    topology: triRegionTgw,
    driver: h.driver,
    load: h.load,
    judge: h.judge,
    ledger: h.ledger,
    journal: h.journal,
    runId: 'r1',
    handleSignals: false,
    ...extra,
  });
}

test('a clean run injects each fault after writing it to the ledger, reverts it on schedule and passes', async () => {
  const h = harness();
  const result = await run(h);
  expect(result.outcome).toBe('passed');
  expect(result.exitCode).toBe(ExitCode.ok);
  expect(h.log).toEqual(expect.arrayContaining(['apply p0 ledger=true', 'apply p1 ledger=true', 'revert p0', 'revert p1']));
  expect(h.applied.size).toBe(0);
  expect(h.ledger.list()).toEqual([]);
  const phases = eventsOf(h.journal.entries, 'phase').filter((e) => e.status === 'start').map((e) => e.phase);
  expect(phases).toEqual(['preflight', 'load', 'preflight', 'steady-state', 'inject', 'recovery', 'verdict']);
  const reverts = eventsOf(h.journal.entries, 'revert');
  expect(reverts.map((r) => r.reason)).toEqual(['schedule', 'schedule']);
});

test('an SLO that fails makes the run fail with exit code 1, and faults are still reverted', async () => {
  let calls = 0;
  const h = harness({ value: () => (calls++ === 0 ? 1 : 0.5) }); // baseline passes, the during-window SLO does not
  const result = await run(h);
  expect(result.outcome).toBe('failed');
  expect(result.exitCode).toBe(ExitCode.sloFailed);
  expect(result.reason).toContain('availability');
  expect(h.applied.size).toBe(0);
});

test('no data is inconclusive, never a pass', async () => {
  let calls = 0;
  const h = harness({ value: () => (calls++ === 0 ? 1 : undefined) });
  const result = await run(h);
  expect(result.outcome).toBe('inconclusive');
  expect(result.exitCode).toBe(ExitCode.inconclusive);
});

test('a steady state that is not met injects nothing', async () => {
  const h = harness({ value: () => 0.5 });
  const result = await run(h);
  expect(result.outcome).toBe('inconclusive');
  expect(result.reason).toContain('steady state not met');
  expect(h.log.filter((l) => l.startsWith('apply'))).toEqual([]);
});

test('preflight refuses a scenario with unknown names before any load or fault, exit code 2', async () => {
  const h = harness();
  const bad = quick();
  bad.faults.push({ name: 'ghost', spec: { kind: 'podKill', service: 'service-ghost', region: 'mars', mode: 'one' }, at: '0s', duration: '1s' });
  bad.slos.push({ name: 'ghost-slo', kind: 'availability', region: 'atlantis', window: 'during', objective: 0.9 });
  bad.slos.push({ name: 'percent-slo', kind: 'availability', region: 'jkt', window: 'during', objective: 99 });
  const result = await run(h, bad);
  expect(result.outcome).toBe('refused');
  expect(result.exitCode).toBe(ExitCode.preflight);
  expect(result.reason).toContain('service-ghost');
  expect(result.reason).toContain('atlantis');
  expect(result.reason).toContain('between 0 and 1');
  expect(result.reason).toContain('3 problems');
  expect(h.load.started).toBe(0);
  expect(h.log).toEqual([]);
});

test('a leftover ledger entry from a crashed run blocks the next run until cleanup', async () => {
  const h = harness();
  h.ledger.record({ id: 'old', runId: 'crashed', scenario: 's', target: 'memory', fault: 'p9', spec: { kind: 'cacheLoss', region: 'jkt' }, createdAt: 0, expiresAt: 0, revert: [] });
  const result = await run(h);
  expect(result.exitCode).toBe(ExitCode.preflight);
  expect(result.reason).toContain('faultline cleanup');
});

test('a guardrail breach reverts every fault at once, long before its schedule, and aborts with exit code 3', async () => {
  let reads = 0;
  const h = harness({ guardrailValue: () => (reads++ < 1 ? 1 : 0.1) });
  const s = quick();
  for (const f of s.faults) f.duration = '30s';
  const result = await run(h, s);
  expect(result.outcome).toBe('aborted');
  expect(result.exitCode).toBe(ExitCode.guardrailAbort);
  expect(h.applied.size).toBe(0);
  // Every revert says the breach ended the hold, not the 30 s schedule.
  const reverts = eventsOf(h.journal.entries, 'revert');
  expect(reverts).toHaveLength(2);
  expect(reverts.every((r) => r.reason === 'guardrail')).toBe(true);
  expect(eventsOf(h.journal.entries, 'guardrail').some((g) => g.breached)).toBe(true);
});

test('a guardrail that cannot be read fails closed: faults reverted, run inconclusive', async () => {
  const h = harness({ guardrailValue: () => undefined });
  const s = quick();
  for (const f of s.faults) f.duration = '30s';
  const result = await run(h, s);
  expect(result.outcome).toBe('inconclusive');
  expect(result.reason).toContain('could not be evaluated');
  expect(h.applied.size).toBe(0);
});

test('an injection that throws reverts what was already applied and reports a harness error', async () => {
  const h = harness({ failApplyOf: 'p1' });
  const s = quick();
  for (const f of s.faults) f.duration = '30s';
  const result = await run(h, s);
  expect(result.outcome).toBe('error');
  expect(result.exitCode).toBe(ExitCode.harnessError);
  expect(result.reason).toContain('target refused');
  expect(h.applied.size).toBe(0);
  expect(h.ledger.list()).toEqual([]);
});

test('aborting the run from outside (a test timeout, Ctrl-C) reverts every held fault', async () => {
  const h = harness();
  const s = quick();
  for (const f of s.faults) f.duration = '30s';
  const abort = new AbortController();
  const pending = run(h, s, { signal: abort.signal });
  await expect.poll(() => h.applied.size, { timeout: 10_000 }).toBe(2);
  abort.abort('test timeout');
  const result = await pending;
  expect(result.outcome).toBe('interrupted');
  expect(result.exitCode).toBe(ExitCode.interrupted);
  expect(h.applied.size).toBe(0);
  expect(h.ledger.list()).toEqual([]);
});

test('secrets never reach the journal: bearer tokens and credential fields are redacted as they are written', async () => {
  const h = harness();
  h.journal.append({ type: 'log', level: 'error', message: 'GET /api failed: Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.secret-token-value' });
  h.journal.append({ type: 'inject', fault: 'f', spec: { kind: 'cacheLoss', region: 'jkt' }, description: 'd', detail: { token: 'abc123', kubeconfig: { 'client-key-data': 'LS0t' } }, latencyMs: 1 });
  const written = readFileSync(h.journal.path, 'utf8');
  expect(written).not.toContain('secret-token-value');
  expect(written).not.toContain('abc123');
  expect(written).not.toContain('LS0t');
  expect(written).toContain('[redacted]');
});
