import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { combineExitCodes, ExitCode, FaultlineError, Journal } from '../../core/index.ts';
import { formatVerdictTable, junitXml, verdictTable } from '../../reports/index.ts';
import { catalog, kubernetesDryRun, labDryRun, labLoadEndpoints, labRunDir, requireScenario, runOnKubernetes, runOnLab } from '../../scenarios/index.ts';
import { requireTopology } from '../../targets/index.ts';
import { parseCommandArgs } from '../args.ts';
import { parseTarget } from '../target-flag.ts';
import type { Command } from '../command.ts';

const HELP = `faultline run: run named scenarios on the lab or on Kubernetes, straight from the CLI (no Playwright).

Usage: faultline run <scenario>... [options]

For ad-hoc experiments and scripts. Each scenario runs its full timeline (preflight → k6 load → every SLI has
data → steady state → faults injected, held, reverted → recovery under load → verdict); Ctrl-C reverts every fault before exiting. Progress goes to stderr, the verdict
table (or JSON) to stdout. For the Allure report use \`faultline gameday\`; for one fault, \`faultline inject\`.

Options:
  --target lab|k8s the embedded lab (default) or Kubernetes: Chaos Mesh faults and k6-operator load in one kube
                   context per region (targets/<topology>/kubernetes.ts; see docs/kubernetes.md)
  --dry-run        print exactly what would be done and change nothing: on the lab the selected processes or
                   links and each revert; on k8s every manifest (Chaos Mesh, ConfigMap, TestRun) as YAML per cluster
  --prometheus URL k8s: the Prometheus SLOs are read from (required for a live k8s run)
  --prometheus-in-cluster URL
                   k8s: the Prometheus the k6 runner pods remote-write to (default: --prometheus)
  --allow-production-like
                   k8s: allow faults on a binding marked productionLike (refused at preflight otherwise)
  --load k6-operator|lab
                   k8s: where the load comes from (default: k6-operator, a TestRun per cluster). lab: the local k6
                   against the running embedded lab, whose Prometheus is then the default --prometheus; each
                   cluster still validates its TestRun as a server-side dry run (for clusters without
                   k6-operator, such as faultline kube up)
  --run-dir DIR    the lab's run folder (default: .faultline/lab)
  --junit FILE     also write JUnit XML (one testcase per SLO)
  --json           print the verdict table as JSON
  --list           list the scenarios and exit

Scenarios: ${catalog.map((s) => s.name).join(', ')}

Examples:
  faultline run tgw-partition-jkt-bdg
  faultline run jkt-pod-loss bdg-replica-lag-5s --junit results.xml
  faultline run tgw-partition-jkt-bdg --target k8s --dry-run
  faultline run jkt-pod-loss --target k8s --prometheus http://prometheus.monitoring:9090
  KUBECONFIG=.faultline/kube/kubeconfig faultline run jkt-pod-loss --target k8s --load lab
`;

export const command: Command = {
  name: 'run',
  summary: 'run named scenarios on the lab or on Kubernetes from the CLI (--dry-run, verdict table, JUnit, exit code)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('run', argv, {
      'run-dir': { type: 'string' },
      target: { type: 'string', default: 'lab' },
      'dry-run': { type: 'boolean', default: false },
      prometheus: { type: 'string' },
      'prometheus-in-cluster': { type: 'string' },
      'allow-production-like': { type: 'boolean', default: false },
      load: { type: 'string', default: 'k6-operator' },
      junit: { type: 'string' },
      json: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
    });
    if (values.list || positionals.length === 0) {
      process.stdout.write(catalog.map((s) => `${s.name.padEnd(24)} ${s.description ?? ''}`).join('\n') + '\n');
      return values.list ? 0 : 2;
    }
    const scenarios = positionals.map(requireScenario);
    const kubernetes = parseTarget(values.target) === 'kubernetes';
    if (values['dry-run']) {
      for (const scenario of scenarios) {
        const text = kubernetes
          ? kubernetesDryRun(scenario, values['prometheus-in-cluster'] ?? values.prometheus ?? 'http://prometheus.monitoring.svc:9090')
          : (await labDryRun(scenario, { runDir: values['run-dir'] })).text;
        process.stdout.write(text + '\n');
      }
      return ExitCode.ok;
    }
    if (values.load !== 'k6-operator' && values.load !== 'lab') {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `unknown --load "${values.load}"`, 'use --load k6-operator (TestRuns in each cluster) or --load lab (local k6 against the running lab)');
    }
    const fromLab = kubernetes && values.load === 'lab' ? labLoadEndpoints(labRunDir(requireTopology(scenarios[0]!.topology), values['run-dir'])) : undefined;
    if (fromLab) values.prometheus ??= fromLab.prometheusUrl;
    if (kubernetes && !values.prometheus) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', 'a Kubernetes run needs the Prometheus its SLOs are read from', 'add --prometheus http://<prometheus>:9090 (or review the plan with --dry-run)');
    }
    const journals = [];
    const codes: number[] = [];
    const progress = (line: string) => process.stderr.write(line + '\n');
    for (const scenario of scenarios) {
      const result = kubernetes
        ? await runOnKubernetes(scenario, {
            prometheusUrl: values.prometheus!,
            prometheusUrlInCluster: values['prometheus-in-cluster'],
            allowProductionLike: values['allow-production-like'],
            ...(fromLab ? { localLoad: { ingress: fromLab.ingress } } : {}),
            progress,
          })
        : await runOnLab(scenario, { runDir: values['run-dir'], progress });
      journals.push(Journal.read(result.journalPath));
      codes.push(result.exitCode);
      if (result.outcome === 'interrupted') break;
    }
    const table = verdictTable(journals);
    if (values.junit) {
      mkdirSync(dirname(resolve(values.junit)), { recursive: true });
      writeFileSync(values.junit, junitXml(journals));
    }
    process.stdout.write(values.json ? JSON.stringify(table, null, 2) + '\n' : formatVerdictTable(table) + '\n');
    return combineExitCodes(codes);
  },
};
