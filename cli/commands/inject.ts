import { requestAvailabilityGuardrail } from '../../assertions/index.ts';
import { renderScenarioDryRun } from '../../chaos/mesh/index.ts';
import {
  constantRate,
  DEFAULT_TTL_GRACE,
  describeFault,
  ExitCode,
  FaultlineError,
  Journal,
  parseDuration,
  PreflightError,
  primaryRegion,
  scenario,
  validateScenario,
  type Scenario,
  type Topology,
} from '../../core/index.ts';
import { formatVerdictTable, verdictTable } from '../../reports/index.ts';
import { labDryRun, labLoadEndpoints, labRunDir, newRunId, runOnKubernetes, runOnLab } from '../../scenarios/index.ts';
import { requireTopology } from '../../targets/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { FAULT_GRAMMAR, parseFaultArgs } from '../fault-args.ts';
import { parseTarget } from '../target-flag.ts';

const HELP = `faultline inject: one fault, held for a while under load, and what it did to every region.

Usage: faultline inject <fault> <args> [--for 2m] [options]

Faults:
${FAULT_GRAMMAR}

The experiment: k6 load in every region → ${'10s'} baseline (jkt must be ≥ 95% available, or nothing is injected)
→ the fault, held for --for → reverted → recovery under load → a table of availability, latency and replica lag
per region. Those SLOs are informational: the run fails only if a guardrail trips (every region's availability
is watched request by request as k6 sees it; below --abort-below the fault is reverted within about a second).
The fault is written to a ledger before it is applied; Ctrl-C or SIGTERM reverts it before exiting; a harness killed with -9 is covered by the fault's TTL (the
lab watchdog; on Kubernetes the Chaos Mesh resource's own duration) and by faultline cleanup.

On Kubernetes (--target k8s) the fault is a Chaos Mesh resource in each region's kube context (KUBECONFIG), created
and watched until Chaos Mesh reports it injected, deleted and watched until recovered. Load comes from k6-operator
(--prometheus required) or, with --load lab, from the local k6 against the running embedded lab.

Options:
  --for DURATION        how long to hold the fault (default: 60s)
  --target lab|k8s      the embedded lab (default) or Kubernetes (Chaos Mesh, one kube context per region)
  --load k6-operator|lab
                        k8s: where the load comes from (default: k6-operator TestRuns); lab: local k6 against
                        the running lab, its Prometheus the default --prometheus
  --prometheus URL      k8s: the Prometheus the impact is read from
  --prometheus-in-cluster URL
                        k8s: the Prometheus k6-operator's runner pods remote-write to (default: --prometheus)
  --allow-production-like
                        k8s: allow a binding marked productionLike (refused at preflight otherwise)
  --dry-run             show exactly what would be done, change nothing: on the lab the selected processes or
                        links and the revert written to the ledger; on k8s the Chaos Mesh manifests as YAML
  --json                machine-readable output
  --allow-concurrent    run even if another experiment holds the target (refused otherwise); both journals say so
  --rate N              k6 requests per second per region (default: 10)
  --abort-below RATIO   guardrail: revert and abort when a region's availability drops below this (default: 0.5)
  --mode MODE --value N which pods: one (default), all, fixed N, fixed-percent N, random-max-percent N
  --workers N           stress: CPU workers (default: 1)
  --store NAME          replica-lag, io-latency: which datastore; secret-store-loss: which secret store (default: the topology's first)
  --share RATIO         http-fault: share of the route's requests hit, 0..1 (default: 1)
  --method M --path P   http-fault: narrow to one method and path of the route (default: the whole route)
  --action A            dns-fault: error (lookups fail, the default) or random (lookups answer a wrong address)
  --percent N           io-latency: share of disk calls delayed, 1..100 (default: 100)
  --topology NAME       (default: tri-region-tgw)
  --run-dir DIR         the lab's run folder (default: .faultline/lab)
  --ttl-grace DURATION  how long past --for the fault's TTL runs; if this process dies, the lab watchdog
                        reverts the fault once the TTL passes, on k8s Chaos Mesh ends it (default: ${DEFAULT_TTL_GRACE})

Examples:
  faultline inject partition jkt bdg --for 2m
  faultline inject pod-kill jkt/service-main --mode fixed-percent --value 50 --dry-run
  faultline inject replica-lag bdg 5s --for 90s --json
  faultline inject latency jkt sby 300ms --target k8s --dry-run
  KUBECONFIG=.faultline/kube/kubeconfig faultline inject pod-kill jkt/service-main --target k8s --load lab --for 30s
  faultline inject http-fault bdg jkt/service-main abort 503 --share 0.3 --for 2m
  faultline inject time-skew bdg/service-main 90s --mode all
`;

export const command: Command = {
  name: 'inject',
  summary: 'ad-hoc experiment: one fault under load, with --dry-run and a per-region impact table',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('inject', argv, {
      for: { type: 'string', default: '60s' },
      target: { type: 'string', default: 'lab' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'allow-concurrent': { type: 'boolean', default: false },
      rate: { type: 'string', default: '10' },
      'abort-below': { type: 'string', default: '0.5' },
      mode: { type: 'string' },
      value: { type: 'string' },
      workers: { type: 'string' },
      store: { type: 'string' },
      share: { type: 'string' },
      method: { type: 'string' },
      path: { type: 'string' },
      action: { type: 'string' },
      percent: { type: 'string' },
      topology: { type: 'string', default: 'tri-region-tgw' },
      'run-dir': { type: 'string' },
      'ttl-grace': { type: 'string', default: String(DEFAULT_TTL_GRACE) },
      load: { type: 'string', default: 'k6-operator' },
      prometheus: { type: 'string' },
      'prometheus-in-cluster': { type: 'string' },
      'allow-production-like': { type: 'boolean', default: false },
    });
    const targets = requireTopology(values.topology);
    const spec = parseFaultArgs(positionals, targets.topology, values);
    parseDuration(values.for, '--for');
    const experiment = adhocScenario(targets.topology, spec, { holdFor: values.for, rate: Number(values.rate), abortBelow: Number(values['abort-below']) });
    experiment.ttlGrace = values['ttl-grace'];
    const problems = validateScenario(experiment, targets.topology);
    if (problems.length) throw new PreflightError(problems);
    const out = (human: string, data: unknown) => process.stdout.write((values.json ? JSON.stringify(data, null, 2) : human) + '\n');

    if (parseTarget(values.target) === 'kubernetes') {
      if (!targets.kubernetes) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${values.topology}" has no Kubernetes binding`);
      if (values['dry-run']) {
        const dry = renderScenarioDryRun(experiment, targets.kubernetes, targets.topology, newRunId(experiment.name));
        out(dry.yaml, dry.clusters);
        return ExitCode.ok;
      }
      if (values.load !== 'k6-operator' && values.load !== 'lab') {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `unknown --load "${values.load}"`, 'use --load k6-operator (TestRuns in each cluster) or --load lab (local k6 against the running lab)');
      }
      const fromLab = values.load === 'lab' ? labLoadEndpoints(labRunDir(targets, values['run-dir'])) : undefined;
      const prometheusUrl = values.prometheus ?? fromLab?.prometheusUrl;
      if (!prometheusUrl) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', 'a live Kubernetes experiment needs the Prometheus its impact is read from', 'add --prometheus http://<prometheus>:9090, or --load lab to use the running lab; review the manifests with --dry-run');
      }
      const result = await runOnKubernetes(experiment, {
        prometheusUrl,
        prometheusUrlInCluster: values['prometheus-in-cluster'],
        allowProductionLike: values['allow-production-like'],
        allowConcurrent: values['allow-concurrent'],
        ...(fromLab ? { localLoad: { ingress: fromLab.ingress } } : {}),
        progress: (line) => process.stderr.write(line + '\n'),
      });
      const table = verdictTable([Journal.read(result.journalPath)]);
      out(formatVerdictTable(table), table);
      return result.exitCode;
    }

    const runDir = labRunDir(targets, values['run-dir']);
    if (values['dry-run']) {
      const dry = await labDryRun(experiment, { runDir });
      out(dry.text, dry);
      return ExitCode.ok;
    }

    const result = await runOnLab(experiment, { runDir, allowConcurrent: values['allow-concurrent'], progress: (line) => process.stderr.write(line + '\n') });
    const table = verdictTable([Journal.read(result.journalPath)]);
    out(formatVerdictTable(table), table);
    return result.exitCode;
  },
};

/** One fault under steady load, every region watched; the SLOs describe impact rather than gate it. */
function adhocScenario(topology: Topology, spec: Parameters<typeof describeFault>[0], o: { holdFor: string; rate: number; abortBelow: number }): Scenario {
  const regions = topology.regions.map((r) => r.name);
  const primary = primaryRegion(topology).name;
  // Latency injected on purpose is not an outage: a request counts as failed only once it is well past it.
  const stallAfter = spec.kind === 'latency' ? `${parseDuration(spec.latency) + (spec.jitter ? parseDuration(spec.jitter) : 0) + 500}ms` : undefined;
  const b = scenario(`adhoc-${spec.kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, topology.name)
    .describe(`ad-hoc: ${describeFault(spec)} for ${o.holdFor}`)
    .load(constantRate(o.rate, regions))
    .timeline({ warmup: '5s', baseline: '10s', recovery: '20s' })
    .inject(spec, { for: o.holdFor })
    .expect({ name: `${primary} availability (steady state)`, kind: 'availability', region: primary, window: 'baseline', objective: 0.95 });
  for (const region of regions) {
    b.expect(
      { name: `${region} availability during`, kind: 'availability', region, window: 'during', objective: 0.99, informational: true },
      { name: `${region} p95 latency during`, kind: 'latency', region, quantile: 0.95, window: 'during', objective: '1s', informational: true },
      { name: `${region} availability after`, kind: 'availability', region, window: 'after', objective: 0.99, informational: true },
    );
    b.guardrail(requestAvailabilityGuardrail(`${region} availability floor`, { region, below: o.abortBelow, ...(stallAfter && { stallAfter }) }));
  }
  const replicaRegions = new Set(topology.datastores.flatMap((store) => store.replicas.map((r) => r.region)));
  for (const region of replicaRegions) {
    b.expect({ name: `${region} replica lag during`, kind: 'replicaLag', region, window: 'during', objective: '5s', informational: true });
  }
  return b.build();
}
