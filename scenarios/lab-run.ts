import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EvidenceJudge, PrometheusClient, PrometheusSloJudge } from '../assertions/index.ts';
import { RunbookRunner } from '../failover/index.ts';
import { labEvidence } from './lab-evidence.ts';
import { LabFaultDriver } from '../chaos/lab/index.ts';
import { readLabSnapshot, type LabState } from '../lab/index.ts';
import { describeFault, faultTtlMs, hooksOf, Journal, Ledger, PreflightError, runScenario, validateScenario, type RunHooks, type RunResult, type Scenario } from '../core/index.ts';
import { LocalK6Runner } from '../load/index.ts';
import { requireTopology, type TopologyTargets } from '../targets/index.ts';

export interface LabRunOptions extends RunHooks {
  /** The lab's run folder. Default: the topology's lab binding (`.faultline/lab`). */
  runDir?: string;
  /** Where journals and k6 output go. Default: FAULTLINE_SESSION_DIR, else `.faultline/sessions/<date>`. */
  sessionDir?: string;
  /** Read SLOs from this Prometheus instead of the lab's own. */
  prometheusUrl?: string;
  /** The topology and its bindings. Default: the registered ones named by the scenario (a topology file gives its own). */
  targets?: TopologyTargets;
}

/** The lab's run folder: the one given, else the topology's lab binding's. */
export function labRunDir(targets: TopologyTargets, explicit?: string): string {
  return resolve(explicit ?? targets.lab?.runDir ?? '.faultline/lab');
}

/** The folder one invocation writes journals and k6 artifacts into; the CLI reads verdicts back from it. */
export function sessionDir(explicit?: string): string {
  return resolve(explicit ?? process.env.FAULTLINE_SESSION_DIR ?? join('.faultline', 'sessions', new Date().toISOString().slice(0, 10)));
}

/** A run id that sorts by time and says which scenario it was. */
export function newRunId(scenario: string): string {
  return `${scenario}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').toLowerCase()}`;
}

/** Runs one scenario against the running embedded lab: lab driver, local k6, SLOs from the lab's Prometheus. */
export async function runOnLab(scenario: Scenario, options: LabRunOptions = {}): Promise<RunResult> {
  const targets = options.targets ?? requireTopology(scenario.topology);
  const runDir = labRunDir(targets, options.runDir);
  const { state } = readLabSnapshot(runDir);
  const session = sessionDir(options.sessionDir);
  mkdirSync(join(session, 'journals'), { recursive: true });
  const runId = newRunId(scenario.name);
  const prometheus = new PrometheusSloJudge(new PrometheusClient({ url: options.prometheusUrl ?? state.prometheus.url }));
  return runScenario({
    scenario,
    topology: targets.topology,
    driver: new LabFaultDriver({ runDir, topology: targets.topology }),
    load: new LocalK6Runner({ ingress: labIngress(state), outDir: join(session, 'k6', runId), prometheusUrl: state.prometheus.url }),
    // rpo, dataLoss and failoverRto are judged from the request stream and the survivor's stores; the rest from Prometheus.
    judge: new EvidenceJudge(prometheus, labEvidence(state)),
    failover: new RunbookRunner({ runId, ...(state.activePassive ? { labDrService: state.activePassive.drService.url } : {}) }),
    ledger: new Ledger(state.ledgerDir),
    journal: new Journal(join(session, 'journals', `${runId}.jsonl`)),
    runId,
    ...hooksOf(options),
  });
}

/**
 * Where each region's load enters. In an active/passive lab the users of the primary region come in through the
 * global entry, which failover repoints; the secondary's own traffic goes to its ingress.
 */
export function labIngress(state: LabState): Record<string, string> {
  const ingress = Object.fromEntries(state.nginx.map((n) => [n.region, n.url]));
  if (state.activePassive) ingress[state.activePassive.primary] = state.activePassive.globalEntry.url;
  return ingress;
}

/** What a lab run would do to each fault's targets, computed by the real driver; nothing is applied. */
export async function labDryRun(scenario: Scenario, options: { runDir?: string; targets?: TopologyTargets } = {}): Promise<{ text: string; faults: object[] }> {
  const targets = options.targets ?? requireTopology(scenario.topology);
  const runDir = labRunDir(targets, options.runDir);
  const driver = new LabFaultDriver({ runDir, topology: targets.topology });
  const problems = validateScenario(scenario, targets.topology);
  for (const plan of scenario.faults) problems.push(...(await driver.check(plan)));
  if (problems.length) throw new PreflightError(problems);
  const faults = [];
  const lines = [`# faultline dry run: scenario "${scenario.name}" on the lab in ${runDir}. Nothing was changed.`];
  for (const plan of scenario.faults) {
    const ttlMs = faultTtlMs(plan, scenario.ttlGrace);
    const prepared = await driver.prepare(plan, { runId: 'dry-run', scenario: scenario.name, ttlMs });
    faults.push({ fault: plan, ttlMs, selected: prepared.detail, revert: prepared.revert });
    lines.push(
      `would inject ${describeFault(plan.spec)} at +${plan.at} for ${plan.duration} (TTL ${Math.round(ttlMs / 1000)}s)`,
      `  selected: ${JSON.stringify(prepared.detail)}`,
      `  revert, written to the ledger before applying:`,
      ...(prepared.revert.length ? prepared.revert.map((a) => `    ${JSON.stringify(a)}`) : ['    (nothing to undo: the supervisor restarts killed processes)']),
    );
  }
  const rates = Object.entries(scenario.load.regions).map(([region, l]) => `${region} ${'rate' in l ? `${l.rate}/s` : l.executor}`);
  lines.push(`load: ${rates.join(', ')}, ${Math.round(scenario.load.writeRatio * 100)}% writes`, `SLOs: ${scenario.slos.map((s) => s.name).join('; ')}`);
  return { text: lines.join('\n'), faults };
}

/** The running lab's ingress per region and its Prometheus: load for a run whose faults land elsewhere. */
export function labLoadEndpoints(runDir: string): { ingress: Record<string, string>; prometheusUrl: string } {
  const { state } = readLabSnapshot(runDir);
  return { ingress: Object.fromEntries(state.nginx.map((n) => [n.region, n.url])), prometheusUrl: state.prometheus.url };
}
