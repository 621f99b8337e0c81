import { expect, test } from '@playwright/test';
import { burnRateGuardrails } from '../../assertions/index.ts';
import { constantRate, Journal, Ledger, scenario, type SloResult } from '../../core/index.ts';
import { LabAlerts, type LabState } from '../../lab/index.ts';
import { runOnLab } from '../../scenarios/index.ts';
import { CATALOGUE_RUN_DIR, catalogueLabDown, catalogueLabUp } from './support/catalogue-lab.ts';

// The catalogue under load, through the engine: an HTTP abort of half of bdg's writes really breaks bdg's write
// availability (the negative case: the SLO fails), spends error budget that the report shows, and fires the team's
// alert, which resolves after the revert. Bad input is refused at preflight with nothing injected.

test.describe.configure({ mode: 'serial', timeout: 6 * 60_000 });
let lab: LabState;
test.beforeAll(async () => {
  test.setTimeout(4 * 60_000);
  lab = await catalogueLabUp();
});
test.afterAll(async () => {
  test.setTimeout(2 * 60_000);
  await catalogueLabDown();
});

const abortHalf = () =>
  scenario('bdg-write-abort-half', 'tri-region-tgw')
    .load(constantRate(20, ['jkt', 'bdg'], { writeRatio: 0.5 }))
    .timeline({ warmup: '5s', baseline: '10s', recovery: '25s' })
    .inject({ kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', share: 0.5, abort: 503 }, { for: '30s', name: 'abort-half' })
    .expect(
      { name: 'bdg writes available during', kind: 'availability', region: 'bdg', route: 'write', window: 'during', objective: 0.99 },
      { name: 'bdg error budget spent', kind: 'errorBudget', region: 'bdg', target: 0.999, period: '30d', window: 'whole', objective: 0.02 },
      { name: 'jkt writes unaffected', kind: 'availability', region: 'jkt', route: 'write', window: 'during', objective: 0.99 },
      { name: 'bdg error-rate alert', kind: 'alert', alert: LabAlerts.highErrorRate, within: '20s', window: 'whole' },
    );

test('negative case: a 50% HTTP abort on bdg’s write route fails bdg’s write availability; budget spent and the alert’s timings are journaled', async () => {
  const result = await runOnLab(abortHalf().build(), { runDir: CATALOGUE_RUN_DIR });
  const slo = (name: string) => result.slos.find((s) => s.name === name) as SloResult;
  expect(result.outcome, result.reason).toBe('failed');
  expect(result.exitCode).toBe(1);

  const availability = slo('bdg writes available during');
  expect(availability.verdict).toBe('fail');
  expect(availability.observed!).toBeGreaterThan(40);
  expect(availability.observed!).toBeLessThan(60);
  expect(slo('jkt writes unaffected').verdict).toBe('pass');

  const budget = slo('bdg error budget spent');
  expect(budget.verdict).toBe('pass'); // half of bdg's writes for 30 s is a real, small share of a 30-day budget
  expect(budget.observed!).toBeGreaterThan(0.01);
  expect(budget.reason).toContain('error budget spent');

  const alert = slo('bdg error-rate alert');
  expect(alert.verdict, alert.reason).toBe('pass');
  const { faultStart, faultEnd, firedAt, resolvedAt } = alert.timings!;
  expect(firedAt! - faultStart!).toBeGreaterThan(0);
  expect(resolvedAt!).toBeGreaterThan(faultEnd!);
  // The journal carries the same instants, where an RTO's detection phase can read them.
  const journaled = Journal.read(result.journalPath).find((e) => e.type === 'slo' && e.result.name === 'bdg error-rate alert');
  expect(journaled && journaled.type === 'slo' && journaled.result.timings?.firedAt).toBe(firedAt);
  expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
});

test('a burn-rate guardrail aborts a game day that burns its allowance too fast, and reverts the fault', async () => {
  const b = abortHalf().guardrail(...burnRateGuardrails('bdg budget burn', { region: 'bdg', target: 0.999, period: '30d', allowance: 0.02 }));
  const result = await runOnLab(b.build(), { runDir: CATALOGUE_RUN_DIR });
  expect(result.outcome, result.reason).toBe('aborted');
  expect(result.exitCode).toBe(3);
  expect(result.reason).toContain('bdg budget burn');
  expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
});

test('preflight refuses an alert no rule defines, an error budget without its SLO, and a route nobody serves: exit 2, nothing injected', async () => {
  const bad = scenario('catalogue-bad-input', 'tri-region-tgw')
    .load(constantRate(5, ['bdg']))
    .inject({ kind: 'httpFault', from: 'jkt', service: 'service-main', region: 'bdg', share: 0.5, abort: 503 }, { for: '10s', name: 'nobody-calls-this' })
    .expect(
      { name: 'no such alert', kind: 'alert', alert: 'NoSuchAlert', within: '10s', window: 'whole' },
      // @ts-expect-error: period left out on purpose
      { name: 'budget without period', kind: 'errorBudget', region: 'bdg', target: 0.999, window: 'whole', objective: 0.02 },
    );
  const result = await runOnLab(bad.build(), { runDir: CATALOGUE_RUN_DIR });
  expect(result.outcome).toBe('refused');
  expect(result.exitCode).toBe(2);
  const problems = Journal.read(result.journalPath).flatMap((e) => (e.type === 'preflight' ? e.problems : []));
  const text = problems.map((p) => `${p.code} ${p.message}`).join('\n');
  expect(text).toMatch(/FAULTLINE_UNKNOWN_NAME .*no service serves the route jkt → service-main@bdg/);
  expect(text).toMatch(/needs the service SLO it spends: target and period/);
  expect(Journal.read(result.journalPath).some((e) => e.type === 'inject')).toBe(false);
  expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
});

test('preflight refuses an alert name no alerting rule defines, naming the rules that exist', async () => {
  const bad = scenario('catalogue-unknown-alert', 'tri-region-tgw')
    .load(constantRate(5, ['bdg']))
    .timeline({ warmup: '3s', baseline: '5s', recovery: '5s' })
    .inject({ kind: 'timeSkew', service: 'service-main', region: 'bdg', offset: '30s', mode: 'one' }, { for: '5s' })
    .expect({ name: 'no such alert', kind: 'alert', alert: 'NoSuchAlert', within: '10s', window: 'whole' });
  const result = await runOnLab(bad.build(), { runDir: CATALOGUE_RUN_DIR });
  expect(result.outcome).toBe('refused');
  expect(result.exitCode).toBe(2);
  const problems = Journal.read(result.journalPath).flatMap((e) => (e.type === 'preflight' ? e.problems : []));
  expect(problems.map((p) => `${p.code} ${p.message}`).join('\n')).toMatch(/FAULTLINE_UNKNOWN_NAME .*no alerting rule named "NoSuchAlert"/);
  expect(Journal.read(result.journalPath).some((e) => e.type === 'inject')).toBe(false);
});
