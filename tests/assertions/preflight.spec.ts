import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultlineError, Guardrail, SloSpec } from '../../core/index.ts';
import { PrometheusClient, PrometheusSloJudge, replicaLagGuardrail, replicaLagQuery } from '../../assertions/index.ts';
import { startPrometheus, waitForPrometheusData, type StartedPrometheus } from '../../lab/index.ts';
import { ServiceExporter } from './support/service-exporter.ts';

// Ports (assertions range): Prometheus 19430, exporter 19431, nothing on 19432.

let prometheus: StartedPrometheus;
let exporter: ServiceExporter;
let reader: NodeJS.Timeout | undefined;
let judge: PrometheusSloJudge;

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-assertions-preflight-'));
  exporter = await ServiceExporter.start(19431, 'bdg');
  exporter.setLag(2);
  reader = setInterval(() => exporter.observeRead(0.3), 100);
  prometheus = await startPrometheus({
    port: 19430,
    dataDir: join(dir, 'data'),
    logFile: join(dir, 'prometheus.log'),
    scrapeConfigs: [{ jobName: 'service', targets: [{ address: exporter.address, labels: { region: 'bdg', service: 'service-main', replica: '0' } }] }],
  });
  judge = new PrometheusSloJudge(new PrometheusClient({ url: prometheus.url }));
  // Reads must have been counted over a few scrapes for the freshness SLI to have a rate.
  await waitForPrometheusData(prometheus.url, 'count_over_time(faultline_read_staleness_seconds_count{region="bdg"}[5s])', {
    timeoutMs: 40_000,
    accept: (s) => (s[0]?.value ?? 0) >= 3,
  });
});

test.afterAll(async () => {
  clearInterval(reader);
  await prometheus?.stop();
  await exporter?.down();
});

const sound: SloSpec[] = [
  { name: 'bdg lag', kind: 'replicaLag', region: 'bdg', objective: '5s', window: 'during' },
  { name: 'bdg fresh', kind: 'freshness', region: 'bdg', staleAfter: '5s', objective: 0.01, window: 'during' },
  { name: 'bdg capacity', kind: 'rto', region: 'bdg', sli: 'capacity', service: 'service-main', from: 'faultStart', objective: '30s', window: 'after' },
  { name: 'bdg catch-up', kind: 'rto', region: 'bdg', sli: 'replicaLag', threshold: 5, from: 'faultEnd', objective: '30s', window: 'after' },
  { name: 'custom', kind: 'custom', query: replicaLagQuery('bdg'), aggregate: 'max', comparator: '<=', threshold: 5, window: 'whole' },
];
const soundGuardrails: Guardrail[] = [replicaLagGuardrail('bdg lag', { region: 'bdg', above: '30s' })];

test('a sound set of SLOs and guardrails passes preflight', async () => {
  expect((await judge.check(sound, soundGuardrails)).map((e) => e.message)).toEqual([]);
});

/** Everything a user could get wrong at once; each one must be reported, naming what to fix. */
const broken: SloSpec[] = [
  ...sound,
  { name: 'broken custom', kind: 'custom', query: 'sum(rate(k6_http_reqs_total[1m])', aggregate: 'max', comparator: '<=', threshold: 1, window: 'during' },
  { name: 'many series', kind: 'custom', query: 'up or vector(1)', aggregate: 'max', comparator: '<=', threshold: 1, window: 'during' },
  { name: 'nowhere availability', kind: 'availability', region: 'nowhere', objective: 0.99, window: 'during' },
  { name: 'mdn lag', kind: 'replicaLag', region: 'mdn', objective: '5s', window: 'during' },
  { name: 'typo capacity', kind: 'rto', region: 'bdg', sli: 'capacity', service: 'service-mian', from: 'faultStart', objective: '30s', window: 'after' },
  { name: 'lag rto', kind: 'rto', region: 'bdg', sli: 'replicaLag', from: 'faultEnd', objective: '30s', window: 'after' },
  { name: 'odd bound', kind: 'freshness', region: 'bdg', staleAfter: '2500ms', objective: 0.01, window: 'during' },
  { name: 'odd window', kind: 'replicaLag', region: 'bdg', objective: '5s', window: 'later' as 'after' },
  { name: 'odd comparator', kind: 'custom', query: replicaLagQuery('bdg'), aggregate: 'max', comparator: '=<' as '<=', threshold: 5, window: 'whole' },
];
/** Mistakes core's validateScenario reports before preflight: check() must not report them a second time. */
const coreReports: SloSpec[] = [
  { name: 'percent', kind: 'availability', region: 'bdg', objective: 99, window: 'during' },
  { name: 'slow', kind: 'latency', region: 'bdg', quantile: 0.95, objective: 'fast', window: 'during' },
];
const brokenGuardrails: Guardrail[] = [
  ...soundGuardrails,
  { name: 'broken guardrail', query: 'min(faultline_replication_lag_seconds{region="bdg"', comparator: '>', threshold: 5 },
  { name: 'silent guardrail', query: 'max(no_such_metric)', comparator: '>', threshold: 5 },
  { name: 'silent guardrail', query: replicaLagQuery('bdg'), comparator: '>', threshold: 5 },
];

function find(problems: FaultlineError[], subject: string): FaultlineError[] {
  return problems.filter((p) => p.message.includes(subject));
}

test('check() collects every problem at once, each naming its SLO or guardrail and what to fix', async () => {
  const problems = await judge.check(broken, brokenGuardrails);
  const byCode = (subject: string) => find(problems, subject).map((p) => p.code);

  expect(byCode('SLO "broken custom"')).toEqual(['FAULTLINE_BAD_PROMQL']);
  expect(find(problems, 'SLO "broken custom"')[0]!.message).toContain('sum(rate(k6_http_reqs_total[1m])');
  expect(find(problems, 'SLO "broken custom"')[0]!.message).toContain('parse error');
  expect(byCode('SLO "many series"')).toEqual(['FAULTLINE_BAD_PROMQL']);
  expect(find(problems, 'SLO "many series"')[0]!.message).toContain('returns 2 series');

  expect(byCode('SLO "nowhere availability"')).toEqual(['FAULTLINE_NO_DATA']);
  expect(find(problems, 'SLO "nowhere availability"')[0]!.hint).toContain('start load in that region');
  expect(byCode('SLO "mdn lag"')).toEqual(['FAULTLINE_NO_DATA']);
  expect(byCode('SLO "typo capacity"')).toEqual(['FAULTLINE_NO_DATA']);
  expect(find(problems, 'SLO "typo capacity"')[0]!.message).toContain('service service-mian');

  expect(byCode('SLO "lag rto"')).toEqual(['FAULTLINE_BAD_INPUT']);
  expect(find(problems, 'SLO "lag rto"')[0]!.message).toContain('needs a threshold');
  expect(byCode('SLO "odd bound"')).toEqual(['FAULTLINE_BAD_INPUT']);
  expect(find(problems, 'SLO "odd bound"')[0]!.message).toContain('bounds: 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120');
  expect(byCode('SLO "odd comparator"')).toEqual(['FAULTLINE_BAD_INPUT']);
  expect(byCode('SLO "odd window"')).toEqual(['FAULTLINE_BAD_INPUT']);

  expect(byCode('guardrail "broken guardrail"')).toEqual(['FAULTLINE_BAD_PROMQL']);
  expect(byCode('guardrail "silent guardrail"')).toEqual(['FAULTLINE_NO_DATA']);
  expect(byCode('guardrail name "silent guardrail"')).toEqual(['FAULTLINE_BAD_INPUT']);

  // Nothing about the sound ones, and nothing twice.
  for (const name of ['bdg fresh', 'bdg capacity', 'bdg catch-up', 'custom']) expect(find(problems, `SLO "${name}"`)).toEqual([]);
  expect(problems).toHaveLength(12);
});

test('input mistakes core already reports are left to it by check(), and judge() calls them inconclusive', async () => {
  expect(await judge.check(coreReports, [])).toEqual([]);
  const percent = await judge.judge(coreReports[0]!, { baseline: { start: 0, end: 1 }, during: { start: 0, end: 1 }, after: { start: 0, end: 1 }, whole: { start: 0, end: 1 }, faults: [] });
  expect(percent.verdict).toBe('inconclusive');
  expect(percent.reason).toContain('objective 99 is not a share between 0 and 1');
});

test('before load starts, SLIs fed by load are only parsed, not asked for data', async () => {
  const early = new PrometheusSloJudge(judge.client, { checkLoadData: false });
  const problems = await early.check(broken, brokenGuardrails);
  expect(find(problems, 'SLO "nowhere availability"')).toEqual([]);
  expect(find(problems, 'guardrail "silent guardrail"')).toEqual([]);
  expect(find(problems, 'SLO "broken custom"').map((p) => p.code)).toEqual(['FAULTLINE_BAD_PROMQL']);
  expect(find(problems, 'guardrail "broken guardrail"').map((p) => p.code)).toEqual(['FAULTLINE_BAD_PROMQL']);
  // Service-side SLIs are still checked for data: they do not wait for load.
  expect(find(problems, 'SLO "mdn lag"').map((p) => p.code)).toEqual(['FAULTLINE_NO_DATA']);
});

test('Prometheus down: reported once, with the input problems that need no Prometheus', async () => {
  const down = new PrometheusSloJudge(new PrometheusClient({ url: 'http://127.0.0.1:19432' }));
  const problems = await down.check(broken, brokenGuardrails);
  const codes = problems.map((p) => p.code);
  expect(codes.filter((c) => c === 'FAULTLINE_PROMETHEUS_UNREACHABLE')).toHaveLength(1);
  expect(problems.find((p) => p.code === 'FAULTLINE_PROMETHEUS_UNREACHABLE')!.message).toContain('http://127.0.0.1:19432');
  expect(codes.filter((c) => c === 'FAULTLINE_BAD_INPUT')).toHaveLength(4);
  expect(codes).not.toContain('FAULTLINE_NO_DATA');
  expect(problems.every((p) => p.isPreflight)).toBe(true);
});
