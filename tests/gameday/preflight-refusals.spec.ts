import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect, test } from '../../scenarios/fixtures.ts';
import { eventsOf, ExitCode, Journal, Ledger, type RunResult, type Scenario } from '../../core/index.ts';
import { runOnLab } from '../../scenarios/lab-run.ts';
import { tgwPartitionJktBdg } from '../../scenarios/tri-region-tgw/game-days.ts';
import { activeToxics } from '../support/lab-probes.ts';

// Bad input against the real lab: each case is refused at preflight, with a message that says what to fix,
// exit code 2, and nothing changed: no load started, no fault in the ledger, no toxic on any link.

const variant = (patch: (s: Scenario) => void): Scenario => {
  const s = structuredClone(tgwPartitionJktBdg);
  patch(s);
  return s;
};

async function expectRefusedAndUntouched(result: RunResult, lab: { ledgerDir: string } & Parameters<typeof activeToxics>[0], mentions: RegExp[]) {
  expect(result.outcome).toBe('refused');
  expect(result.exitCode).toBe(ExitCode.preflight);
  for (const m of mentions) expect(result.reason).toMatch(m);
  const entries = Journal.read(result.journalPath);
  expect(eventsOf(entries, 'inject')).toEqual([]);
  expect(eventsOf(entries, 'phase').filter((p) => p.phase === 'load')).toEqual([]);
  expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
  expect(await activeToxics(lab)).toEqual([]);
}

test.describe('preflight refuses bad input and changes nothing', () => {
  let session: string;
  test.beforeEach(() => {
    session = mkdtempSync(join(tmpdir(), 'faultline-refusal-'));
  });

  test('a scenario naming an unknown region and an unknown service', async ({ lab }) => {
    const bad = variant((s) => {
      s.faults.push({ name: 'ghost-kill', spec: { kind: 'podKill', service: 'service-ghost', region: 'jkt', mode: 'one' }, at: '0s', duration: '10s' });
      s.slos.push({ name: 'mars availability', kind: 'availability', region: 'mars', window: 'during', objective: 0.99 });
    });
    const result = await runOnLab(bad, { runDir: lab.runDir, sessionDir: session, handleSignals: false });
    await expectRefusedAndUntouched(result, lab, [/service-ghost/, /use one of: service-main, service-backup/, /"mars"/, /use one of: jkt, bdg, sby/]);
  });

  test('a PromQL syntax error names the SLO and the query', async ({ lab }) => {
    const bad = variant((s) => {
      s.slos.push({ name: 'broken query', kind: 'custom', query: 'sum(rate(k6_http_reqs_total[1m]', aggregate: 'max', comparator: '>', threshold: 0, window: 'during' });
    });
    const result = await runOnLab(bad, { runDir: lab.runDir, sessionDir: session, handleSignals: false });
    await expectRefusedAndUntouched(result, lab, [/FAULTLINE_BAD_PROMQL/, /broken query/, /sum\(rate\(k6_http_reqs_total\[1m\]/]);
  });

  test('Prometheus not answering', async ({ lab }) => {
    const result = await runOnLab(tgwPartitionJktBdg, { runDir: lab.runDir, sessionDir: session, handleSignals: false, prometheusUrl: 'http://127.0.0.1:19299' });
    await expectRefusedAndUntouched(result, lab, [/FAULTLINE_PROMETHEUS_UNREACHABLE/, /127\.0\.0\.1:19299/]);
  });

  test('a selector matching nothing is an error, not a no-op', async ({ lab }) => {
    const bad = variant((s) => {
      s.faults = [{ name: 'partition-bdg-sby', spec: { kind: 'partition', regions: ['bdg', 'sby'] }, at: '0s', duration: '10s' }];
    });
    const result = await runOnLab(bad, { runDir: lab.runDir, sessionDir: session, handleSignals: false });
    await expectRefusedAndUntouched(result, lab, [/FAULTLINE_NO_TARGETS/, /matched nothing/, /bdg↔sby/]);
    expect(existsSync(join(session, 'k6'))).toBe(false);
  });
});
