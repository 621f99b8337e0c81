import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { PrometheusClient, PrometheusSloJudge } from '../assertions/index.ts';
import { MeshDriver, renderScenarioDryRun } from '../chaos/mesh/index.ts';
import { FaultlineError, hooksOf, Journal, Ledger, loadDurationMs, runScenario, type LoadRunner, type RunHooks, type RunResult, type Scenario } from '../core/index.ts';
import { LocalK6Runner } from '../load/index.ts';
import { K6OperatorRunner, renderK6OperatorDryRun } from '../load/k6-operator/index.ts';
import { requireTopology, type TopologyTargets } from '../targets/index.ts';
import { RunbookRunner } from '../failover/index.ts';
import { newRunId, sessionDir } from './lab-run.ts';

/** Where Kubernetes runs keep their fault ledger; `faultline cleanup --target k8s` settles it after its sweep. */
export const KUBERNETES_LEDGER_DIR = join('.faultline', 'kubernetes', 'ledger');

export interface KubernetesRunOptions extends RunHooks {
  /** Prometheus as faultline reaches it (SLOs and guardrails are read here). */
  prometheusUrl: string;
  /** Prometheus as the k6 runner pods reach it, for remote write. Default: `prometheusUrl`. */
  prometheusUrlInCluster?: string;
  /** Default: KUBECONFIG, then ~/.kube/config. */
  kubeConfig?: KubeConfig;
  /** Required to run against a binding marked productionLike. Default false. */
  allowProductionLike?: boolean;
  /** Where journals go. Default: as for lab runs. */
  sessionDir?: string;
  /** The local ledger of Kubernetes faults; `faultline cleanup --target k8s` also sweeps by label. */
  ledgerDir?: string;
  /**
   * Where the load comes from. Default: k6-operator TestRuns in every cluster. `local`: the k6 on this machine
   * against these ingress URLs (for clusters without k6-operator, such as `faultline kube up`); each cluster still
   * validates the TestRun it would have run, as a server-side dry run.
   */
  localLoad?: { ingress: Record<string, string> };
  /** The topology and its bindings. Default: the registered ones named by the scenario (a topology file gives its own). */
  targets?: TopologyTargets;
}

/** The same scenario as on the lab, against one cluster per region: Chaos Mesh faults, k6-operator load. */
export async function runOnKubernetes(scenario: Scenario, options: KubernetesRunOptions): Promise<RunResult> {
  const { topology, kubernetes: binding } = options.targets ?? requireTopology(scenario.topology);
  if (!binding) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${scenario.topology}" has no Kubernetes binding`, 'add one under targets/<topology>/kubernetes.ts, or a kubernetes: section to its topology file');
  const kubeConfig = options.kubeConfig ?? defaultKubeConfig();
  const session = sessionDir(options.sessionDir);
  mkdirSync(join(session, 'journals'), { recursive: true });
  const runId = newRunId(scenario.name);
  const operator = new K6OperatorRunner({ target: binding, prometheusUrl: options.prometheusUrlInCluster ?? options.prometheusUrl, kubeConfig });
  const load: LoadRunner = options.localLoad
    ? localLoadValidatedBy(operator, new LocalK6Runner({ ingress: options.localLoad.ingress, outDir: join(session, 'k6', runId), prometheusUrl: options.prometheusUrl }))
    : operator;
  return runScenario({
    scenario,
    topology,
    driver: new MeshDriver({ binding, topology, kubeConfig, allowProductionLike: options.allowProductionLike }),
    load,
    judge: new PrometheusSloJudge(new PrometheusClient({ url: options.prometheusUrl })),
    ledger: new Ledger(resolve(options.ledgerDir ?? KUBERNETES_LEDGER_DIR)),
    // The runbook is the user's here: a command, an HTTP call or a Job in one of the bound clusters.
    failover: new RunbookRunner({ runId, kube: { kubeConfig, contexts: Object.fromEntries(Object.entries(binding.regions).map(([r, c]) => [r, c.context])) } }),
    journal: new Journal(join(session, 'journals', `${runId}.jsonl`)),
    runId,
    ...hooksOf(options),
  });
}

/** Local k6 does the load; first every cluster judges (dry run) the TestRun k6-operator would have run. */
function localLoadValidatedBy(operator: K6OperatorRunner, local: LocalK6Runner): LoadRunner {
  return {
    async start(profile, run) {
      await operator.validate(profile, run);
      return local.start(profile, run);
    },
  };
}

/** Everything a Kubernetes run would create, as YAML per cluster: Chaos Mesh resources, then k6-operator objects. */
export function kubernetesDryRun(scenario: Scenario, prometheusUrl: string, targets: TopologyTargets = requireTopology(scenario.topology)): string {
  const { topology, kubernetes: binding } = targets;
  if (!binding) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${scenario.topology}" has no Kubernetes binding`, 'add a kubernetes: section to its topology file, or run it on the lab');
  const runId = newRunId(scenario.name);
  const chaos = renderScenarioDryRun(scenario, binding, topology, runId);
  const load = renderK6OperatorDryRun(scenario.load, { runId, scenario: scenario.name, durationMs: loadDurationMs(scenario) }, { target: binding, prometheusUrl });
  return `${chaos.yaml}\n${load}`;
}

function defaultKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}
