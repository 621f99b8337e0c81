import { readFileSync } from 'node:fs';
import { parseDocument, stringify } from 'yaml';
import { contextsOf, labelValue } from '../chaos/mesh/index.ts';
import { FaultlineError, PreflightError } from '../core/index.ts';
import { CRON_HINT, cronProblem, type LoadedExperiment } from '../experiments/index.ts';
import { backgroundSchedules, type PlacedSchedule } from './background-schedules.ts';
import { cronJob, type CronJobOptions } from './cron-job.ts';
import { rbacObjects } from './rbac-objects.ts';

/** `faultline schedule`'s flags. Defaults are documented in its --help. */
export interface ScheduleOptions {
  /** Overrides the file's `schedule.cron`. */
  cron?: string;
  timeZone?: string;
  /** Default `faultline`, the namespace of deploy/rbac/'s ServiceAccount. */
  namespace: string;
  image: string;
  prometheusUrl: string;
  prometheusUrlInCluster?: string;
  /** Default: every context of the binding, when it has one; otherwise required. */
  contextsHere?: string[];
  kubeconfigSecret?: string;
  /** Size of the results volume. Default `1Gi`. */
  resultsSize: string;
  storageClass?: string;
  allowProductionLike: boolean;
}

export interface ScheduleManifests {
  /** Objects for the cluster the CronJob runs in, in apply order. */
  cluster: object[];
  /** Chaos Mesh Schedules for background faults, each for its region's cluster. */
  background: PlacedSchedule[];
}

const MANAGED = { 'app.kubernetes.io/managed-by': 'faultline', 'app.kubernetes.io/part-of': 'faultline-schedule' };

/**
 * Everything a cluster needs to run an experiment file on a cron: the ServiceAccount and RBAC of deploy/rbac/, the
 * experiment (and its topology file) in a ConfigMap, a volume that keeps JUnit, Allure results and the report with
 * its history across runs (and the fault ledger), the CronJob, and Chaos Mesh Schedules for background faults.
 */
export function scheduleManifests(loaded: LoadedExperiment, options: ScheduleOptions): ScheduleManifests {
  const { scenario, targets } = loaded;
  const binding = targets.kubernetes;
  if (!binding) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${targets.topology.name}" has no Kubernetes binding, so it cannot be scheduled on a cluster`, 'add a kubernetes: section to its topology file (see docs/kubernetes.md)');
  }
  const file = loaded.data;
  const cron = options.cron ?? file.schedule?.cron;
  if (!cron) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'no cron expression: the file has no schedule.cron and --cron was not given', CRON_HINT);
  const problem = cronProblem(cron);
  if (problem) throw new PreflightError([new FaultlineError('FAULTLINE_BAD_INPUT', `--cron "${cron}" is not a valid cron expression: ${problem}`, CRON_HINT)]);
  const contexts = contextsOf(binding).map((c) => c.context);
  const here = options.contextsHere?.length ? options.contextsHere : contexts.length === 1 ? contexts : undefined;
  if (!here) {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      `the binding spans ${contexts.length} kube contexts (${contexts.join(', ')}); say which one the CronJob runs in`,
      `add --context-here <one of them>, and --kubeconfig-secret <secret> holding a kubeconfig for the others`,
    );
  }
  for (const c of here) {
    if (!contexts.includes(c)) throw new FaultlineError('FAULTLINE_UNKNOWN_NAME', `--context-here "${c}" is not a context of the binding`, `contexts: ${contexts.join(', ')}`);
  }
  if (here.length < contexts.length && !options.kubeconfigSecret) {
    const others = contexts.filter((c) => !here.includes(c));
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `contexts ${others.join(', ')} are not reached from the CronJob's cluster`, 'add --kubeconfig-secret <secret with key "config"> holding a kubeconfig for them');
  }
  const name = objectName(`faultline-${scenario.name}`, 52);
  const labels = { ...MANAGED, 'faultline.dev/scenario': labelValue(scenario.name) };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-experiment`, namespace: options.namespace, labels }, data: configMapData(loaded) };
  const claim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: `${name}-results`, namespace: options.namespace, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(options.storageClass && { storageClassName: options.storageClass }),
      resources: { requests: { storage: options.resultsSize } },
    },
  };
  const jobOptions: CronJobOptions = {
    name,
    namespace: options.namespace,
    cron,
    ...((options.timeZone ?? file.schedule?.timeZone) && { timeZone: options.timeZone ?? file.schedule?.timeZone }),
    image: options.image,
    prometheusUrl: options.prometheusUrl,
    ...(options.prometheusUrlInCluster && { prometheusUrlInCluster: options.prometheusUrlInCluster }),
    contextsHere: here,
    ...(options.kubeconfigSecret && { kubeconfigSecret: options.kubeconfigSecret }),
    allowProductionLike: options.allowProductionLike,
    configMap: configMap.metadata.name,
    resultsClaim: claim.metadata.name,
    labels,
  };
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: options.namespace, labels: MANAGED } };
  return {
    cluster: [namespace, ...rbacObjects(binding, options.namespace), configMap, claim, cronJob(scenario, jobOptions)],
    background: backgroundSchedules(file.schedule?.background ?? [], { binding, topology: targets.topology, scenario: scenario.name }),
  };
}

/** The experiment as written (comments kept), and its topology file beside it, with the reference pointed there. */
function configMapData(loaded: LoadedExperiment): Record<string, string> {
  const doc = parseDocument(readFileSync(loaded.file, 'utf8'));
  if (!loaded.topologyFile) return { 'experiment.yaml': doc.toString() };
  doc.set('topology', './topology.yaml');
  return { 'experiment.yaml': doc.toString(), 'topology.yaml': readFileSync(loaded.topologyFile, 'utf8') };
}

/** YAML documents: the CronJob's cluster first, then each context's background Schedules under a comment. */
export function scheduleYaml(m: ScheduleManifests, title: string): string {
  const out = [`# faultline schedule: ${title}`, '# Apply the first group in the cluster the CronJob runs in (kubectl apply -f); nothing was sent anywhere.'];
  for (const o of m.cluster) out.push(`---\n${stringify(o, { lineWidth: 0 }).trimEnd()}`);
  const contexts = [...new Set(m.background.map((b) => b.context))];
  for (const context of contexts) {
    const here = m.background.filter((b) => b.context === context);
    out.push(`# ── background faults for context "${context}": ${here.length} Chaos Mesh Schedule${here.length === 1 ? '' : 's'} (kubectl --context ${context} apply -f)`);
    for (const b of here) out.push(`---\n${stringify(b.schedule, { lineWidth: 0 }).trimEnd()}`);
  }
  return out.join('\n') + '\n';
}

/** A DNS-1123 name of at most `max` characters. */
function objectName(text: string, max: number): string {
  const clean = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '');
  return clean.slice(0, max).replace(/-+$/, '');
}
