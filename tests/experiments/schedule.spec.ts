import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parse, parseAllDocuments } from 'yaml';
import { contextsOf, webhookViolations } from '../../chaos/mesh/index.ts';
import { cronProblem, loadExperiment } from '../../experiments/index.ts';
import { CrdValidator } from '../support/kube-sim/index.ts';
import { RBAC_DIR, scheduleManifests, scheduleYaml, type ScheduleOptions } from '../../scheduling/index.ts';
import { KubeOpenApiValidator } from '../support/kube-openapi.ts';
import { runCli } from '../support/faultline-cli.ts';
import { asData, EXAMPLES, exampleExperiments, rel } from './support.ts';

/*
 * `faultline schedule`: every manifest it prints for every example experiment validates against the official
 * schemas (Kubernetes OpenAPI v1.33 for the built-in kinds, Chaos Mesh's Schedule CRD, the webhook rules for the
 * embedded chaos), with strict field validation; the RBAC is deploy/rbac/'s; the pod reads what was scheduled.
 */

let k8s: KubeOpenApiValidator;
let crds: CrdValidator;
test.beforeAll(() => {
  k8s = new KubeOpenApiValidator();
  crds = CrdValidator.fromDirectory();
});

const options = (contexts: string[]): ScheduleOptions => ({
  cron: '0 3 * * 1',
  timeZone: 'Asia/Jakarta',
  namespace: 'faultline',
  image: 'registry.example/faultline:0.1.0',
  prometheusUrl: 'http://prometheus.monitoring.svc:9090',
  contextsHere: [contexts[0]!],
  ...(contexts.length > 1 && { kubeconfigSecret: 'faultline-kubeconfig' }),
  resultsSize: '1Gi',
  allowProductionLike: false,
});

function violations(obj: { apiVersion: string; kind: string; spec?: Record<string, unknown> }): string[] {
  if (k8s.knows(obj.apiVersion, obj.kind)) return k8s.validate(obj);
  const problems = crds.validate(obj);
  if (obj.kind === 'Schedule') {
    const type = obj.spec!.type as string;
    const field = Object.keys(obj.spec!).find((k) => k.toLowerCase() === type.toLowerCase())!;
    problems.push(...webhookViolations({ kind: type, spec: obj.spec![field] }));
  }
  return problems;
}

for (const file of exampleExperiments()) {
  test(`schedule of ${rel(file)}: every manifest is schema-valid`, () => {
    const loaded = loadExperiment(file);
    const contexts = contextsOf(loaded.targets.kubernetes!).map((c) => c.context);
    const m = scheduleManifests(loaded, options(contexts));
    const objects = [...m.cluster, ...m.background.map((b) => b.schedule)] as { apiVersion: string; kind: string; metadata: { name: string } }[];
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['ServiceAccount', 'ConfigMap', 'PersistentVolumeClaim', 'CronJob']));
    for (const o of objects) expect(violations(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
    // What scheduleYaml prints is exactly these objects.
    const printed = parseAllDocuments(scheduleYaml(m, 't')).map((d) => d.toJS()).filter(Boolean);
    expect(printed).toEqual(asData(objects));
  });
}

test('background faults become Chaos Mesh Schedules that pass the CRD and the webhook rules; a broken one does not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-schedule-'));
  try {
    const file = join(dir, 'bg.yaml');
    writeFileSync(file, readFileSync(exampleExperiments().find((f) => f.endsWith('jkt-pod-loss.yaml'))!, 'utf8') + [
      'schedule:',
      '  cron: "@daily"',
      '  background:',
      '    - { kind: cacheLoss, region: bdg, for: 1m, cron: "*/30 * * * *" }',
      '    - { kind: partition, regions: [jkt, sby], for: 30s, cron: "15 * * * *" }',
      '    - { kind: podFailure, service: service-main, region: sby, mode: fixed-percent, value: 50, for: 45s, cron: "0 */2 * * *" }',
      '',
    ].join('\n'));
    const loaded = loadExperiment(file);
    const m = scheduleManifests(loaded, { ...options(['eks-jakarta', 'eks-bandung']), cron: undefined });
    expect(m.background.map((b) => [b.context, b.schedule.spec.type, b.schedule.spec.schedule])).toEqual([
      ['eks-bandung', 'PodChaos', '*/30 * * * *'],
      ['eks-jakarta', 'NetworkChaos', '15 * * * *'],
      ['eks-surabaya', 'NetworkChaos', '15 * * * *'],
      ['eks-surabaya', 'PodChaos', '0 */2 * * *'],
    ]);
    for (const b of m.background) expect(violations(b.schedule), b.schedule.metadata.name).toEqual([]);
    // The file's own cron is used when no --cron is given.
    const job = m.cluster.find((o) => (o as { kind: string }).kind === 'CronJob') as { spec: { schedule: string } };
    expect(job.spec.schedule).toBe('@daily');
    // The validators can fail: a Schedule without its embedded chaos, and a misspelt field.
    const broken = structuredClone(m.background[0]!.schedule);
    delete broken.spec.podChaos;
    (broken.spec as Record<string, unknown>).historyLimt = 3;
    expect(violations(broken).join('\n')).toMatch(/historyLimt|podChaos|selector|action/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the scheduled RBAC is deploy/rbac/ re-aimed, never widened: same rules, bound per allowed namespace', () => {
  const loaded = loadExperiment(exampleExperiments().find((f) => f.endsWith('tgw-partition-jkt-bdg.yaml'))!);
  const m = scheduleManifests(loaded, options(['eks-jakarta', 'eks-bandung']));
  type Obj = { kind: string; metadata: { name: string; namespace?: string }; rules?: unknown; roleRef?: unknown; subjects?: { namespace: string }[] };
  const objs = m.cluster as Obj[];
  const shipped = ['chaos-clusterrole.yaml', 'load-role.yaml'].flatMap((f) => parseAllDocuments(readFileSync(join(RBAC_DIR, f), 'utf8')).map((d) => d.toJS() as Obj));
  for (const kind of ['ClusterRole', 'Role']) {
    for (const o of objs.filter((x) => x.kind === kind)) expect(o.rules).toEqual(shipped.find((s) => s.kind === kind)!.rules);
  }
  expect(objs.filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'faultline-chaos').map((o) => o.metadata.namespace)).toEqual(loaded.targets.kubernetes!.allowedNamespaces);
  expect(objs.some((o) => o.kind === 'ClusterRoleBinding')).toBe(false);
  for (const o of objs.filter((x) => x.kind === 'RoleBinding')) expect(o.subjects).toEqual([{ kind: 'ServiceAccount', name: 'faultline', namespace: 'faultline' }]);
});

test('the pod reads exactly what was scheduled: the ConfigMap holds the experiment (and its topology file) and loads to the same scenario', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-schedule-cm-'));
  try {
    const topology = join(dir, 'shop.topology.yaml');
    writeFileSync(topology, readFileSync(join(EXAMPLES, 'topologies', 'tri-region-tgw.topology.yaml'), 'utf8'));
    const experiment = join(dir, 'exp', 'x.yaml');
    const text = readFileSync(exampleExperiments().find((f) => f.endsWith('bdg-replica-lag-5s.yaml'))!, 'utf8').replace('topology: tri-region-tgw', 'topology: ../shop.topology.yaml');
    mkdirSync(join(dir, 'exp'));
    writeFileSync(experiment, text);
    const loaded = loadExperiment(experiment);
    const m = scheduleManifests(loaded, options(['eks-jakarta', 'eks-bandung']));
    const cm = m.cluster.find((o) => (o as { kind: string }).kind === 'ConfigMap') as { data: Record<string, string> };
    expect(Object.keys(cm.data).sort()).toEqual(['experiment.yaml', 'topology.yaml']);
    const pod = join(dir, 'pod');
    mkdirSync(pod);
    for (const [name, body] of Object.entries(cm.data)) writeFileSync(join(pod, name), body);
    expect(parse(cm.data['experiment.yaml']!).topology).toBe('./topology.yaml');
    expect(asData(loadExperiment(join(pod, 'experiment.yaml')).scenario)).toEqual(asData(loaded.scenario));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cron expressions: what CronJobs and Chaos Mesh both accept passes, everything else is refused with the reason', () => {
  for (const ok of ['0 3 * * 1', '*/15 * * * *', '0 0 1 jan *', '30 2 * * mon-fri', '0 9-17/2 * * 1,3,5', '@daily', '@hourly', '0 0 29 2 *', '? * * * *']) {
    expect(cronProblem(ok), ok).toBeUndefined();
  }
  for (const [bad, reason] of [
    ['61 * * * *', 'minute'],
    ['* 24 * * *', 'hour'],
    ['* * 0 * *', 'day-of-month'],
    ['* * * 13 *', 'month'],
    ['* * * * 7', 'day-of-week'],
    ['0 3 * *', '5 fields'],
    ['0 0 3 * * 1', '5 fields'],
    ['@fortnightly', 'descriptor'],
    ['*/0 * * * *', 'step'],
    ['5-1 * * * *', 'backwards'],
    ['TZ=Asia/Jakarta 0 3 * * *', 'time zone'],
    ['', 'empty'],
  ]) {
    expect(cronProblem(bad!), bad).toContain(reason);
  }
});

test('schedule refuses an invalid cron with exit 2: in the file with file:line and the field, on the flag with its name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-schedule-cli-'));
  try {
    const file = join(dir, 'bad-cron.yaml');
    const base = readFileSync(exampleExperiments().find((f) => f.endsWith('jkt-pod-loss.yaml'))!, 'utf8');
    writeFileSync(file, `${base}schedule:\n  cron: "0 25 * * *"\n`);
    const lines = base.split('\n').length;
    const inFile = await runCli(['schedule', '-f', file, '--prometheus', 'http://p:9090', '--context-here', 'eks-jakarta', '--kubeconfig-secret', 'k']);
    expect(inFile.code, inFile.output).toBe(2);
    expect(inFile.output).toContain(`bad-cron.yaml:${lines + 1}:9: schedule.cron: "0 25 * * *" is not a valid cron expression: hour field "25"`);
    expect(inFile.output).toContain('→ write five fields');
    expect(inFile.output).not.toContain('kind: CronJob');

    const onFlag = await runCli(['schedule', '-f', exampleExperiments().find((f) => f.endsWith('jkt-pod-loss.yaml'))!, '--cron', '0 3 * *', '--prometheus', 'http://p:9090', '--context-here', 'eks-jakarta', '--kubeconfig-secret', 'k']);
    expect(onFlag.code, onFlag.output).toBe(2);
    expect(onFlag.output).toContain('--cron "0 3 * *" is not a valid cron expression');
    expect(onFlag.output).not.toContain('kind: CronJob');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
