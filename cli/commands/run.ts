import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { combineExitCodes, ExitCode, exitCodeForError, FaultlineError, Journal, PreflightError, type Scenario } from '../../core/index.ts';
import { loadExperiment } from '../../experiments/index.ts';
import { formatVerdictTable, junitXml, summaryMarkdown, verdictTable, writeAllureResults, writeResultsExtras } from '../../reports/index.ts';
import { catalog, kubernetesDryRun, labDryRun, labLoadEndpoints, labRunDir, requireScenario, runOnKubernetes, runOnLab } from '../../scenarios/index.ts';
import { requireTopology, type TopologyTargets } from '../../targets/index.ts';
import { parseCommandArgs } from '../args.ts';
import { parseTarget } from '../target-flag.ts';
import type { Command } from '../command.ts';

const HELP = `faultline run: run named scenarios on the lab or on Kubernetes, straight from the CLI (no Playwright).

Usage: faultline run <scenario>... [options]
       faultline run -f experiment.yaml [-f another.json ...] [options]

For ad-hoc experiments and scripts. Each scenario runs its full timeline (preflight → k6 load → every SLI has
data → steady state → faults injected, held, reverted → recovery under load → verdict); Ctrl-C reverts every fault before exiting. Progress goes to stderr, the verdict
table (or JSON) to stdout. For the Allure report use \`faultline gameday\`; for one fault, \`faultline inject\`.

Options:
  -f, --file FILE  an experiment file (YAML or JSON; schema: experiments/schema/experiment.schema.json); repeat
                   for several. It compiles to the same model as the TypeScript game days and runs through the
                   same engine. Its topology is a registered name or a topology file beside it. A file with a
                   mistake is refused before anything starts (exit 2), with file:line, the field and a hint
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
  --allow-concurrent
                   run even if another experiment holds the target (refused otherwise); both journals say so
  --allure-results DIR
                   also write Allure results (one test per run, one step per SLO, the resilience score);
                   render them with: faultline report --results DIR
  --summary FILE   append a Markdown summary (verdicts, resilience score, the exit code and its meaning) to FILE,
                   e.g. "$GITHUB_STEP_SUMMARY"; written on refusals and errors too; repeat for several files
  --list           list the scenarios and exit

Scenarios: ${catalog.map((s) => s.name).join(', ')}

Examples:
  faultline run -f docs/examples/experiments/tri-region-tgw/jkt-pod-loss.yaml
  faultline run -f my-experiment.yaml --dry-run
  faultline run tgw-partition-jkt-bdg
  faultline run jkt-pod-loss bdg-replica-lag-5s --junit results.xml
  faultline run tgw-partition-jkt-bdg --target k8s --dry-run
  faultline run jkt-pod-loss --target k8s --prometheus http://prometheus.monitoring:9090
  KUBECONFIG=.faultline/kube/kubeconfig faultline run jkt-pod-loss --target k8s --load lab
`;

interface Planned {
  scenario: Scenario;
  /** From a topology file; absent for registered topologies. */
  targets?: TopologyTargets;
}

export const command: Command = {
  name: 'run',
  summary: 'run named scenarios or experiment files on the lab or on Kubernetes (--dry-run, verdict table, score, JUnit, exit code)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('run', argv, {
      file: { type: 'string', short: 'f', multiple: true },
      'run-dir': { type: 'string' },
      target: { type: 'string', default: 'lab' },
      'dry-run': { type: 'boolean', default: false },
      prometheus: { type: 'string' },
      'prometheus-in-cluster': { type: 'string' },
      'allow-production-like': { type: 'boolean', default: false },
      load: { type: 'string', default: 'k6-operator' },
      junit: { type: 'string' },
      json: { type: 'boolean', default: false },
      'allow-concurrent': { type: 'boolean', default: false },
      'allure-results': { type: 'string' },
      summary: { type: 'string', multiple: true },
      list: { type: 'boolean', default: false },
    });
    const files = values.file ?? [];
    if (values.list || (positionals.length === 0 && files.length === 0)) {
      process.stdout.write(catalog.map((s) => `${s.name.padEnd(24)} ${s.description ?? ''}`).join('\n') + '\n');
      return values.list ? 0 : 2;
    }
    // A CI summary must say what happened even when nothing could start: a refused file is exit 2 with its reason.
    try {
      return await runPlanned(values, positionals, files);
    } catch (error) {
      for (const file of values.summary ?? []) appendSummary(file, summaryMarkdown(exitCodeForError(error), undefined, (error as Error).message));
      throw error;
    }
  },
};

type Values = {
  load: string;
  'run-dir'?: string;
  target: string;
  'dry-run': boolean;
  prometheus?: string;
  'prometheus-in-cluster'?: string;
  'allow-production-like': boolean;
  'allow-concurrent': boolean;
  junit?: string;
  json: boolean;
  'allure-results'?: string;
  summary?: string[];
};

async function runPlanned(values: Values, names: string[], files: string[]): Promise<number> {
  const kubernetes = parseTarget(values.target) === 'kubernetes';
  const planned: Planned[] = [...names.map((n) => ({ scenario: requireScenario(n) })), ...loadFiles(files)];
  if (values['dry-run']) {
    for (const { scenario, targets } of planned) {
      const text = kubernetes
        ? kubernetesDryRun(scenario, values['prometheus-in-cluster'] ?? values.prometheus ?? 'http://prometheus.monitoring.svc:9090', targets)
        : (await labDryRun(scenario, { runDir: values['run-dir'], targets })).text;
      process.stdout.write(text + '\n');
    }
    return ExitCode.ok;
  }
  if (values.load !== 'k6-operator' && values.load !== 'lab') {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `unknown --load "${values.load}"`, 'use --load k6-operator (TestRuns in each cluster) or --load lab (local k6 against the running lab)');
  }
  const first = planned[0]!;
  const fromLab = kubernetes && values.load === 'lab' ? labLoadEndpoints(labRunDir(first.targets ?? requireTopology(first.scenario.topology), values['run-dir'])) : undefined;
  if (fromLab) values.prometheus ??= fromLab.prometheusUrl;
  if (kubernetes && !values.prometheus) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', 'a Kubernetes run needs the Prometheus its SLOs are read from', 'add --prometheus http://<prometheus>:9090 (or review the plan with --dry-run)');
  }
  const journals = [];
  const codes: number[] = [];
  const progress = (line: string) => process.stderr.write(line + '\n');
  for (const { scenario, targets } of planned) {
    const result = kubernetes
      ? await runOnKubernetes(scenario, {
          prometheusUrl: values.prometheus!,
          prometheusUrlInCluster: values['prometheus-in-cluster'],
          allowProductionLike: values['allow-production-like'],
          allowConcurrent: values['allow-concurrent'],
          ...(fromLab ? { localLoad: { ingress: fromLab.ingress } } : {}),
          progress,
          targets,
        })
      : await runOnLab(scenario, { runDir: values['run-dir'], allowConcurrent: values['allow-concurrent'], progress, targets });
    journals.push(Journal.read(result.journalPath));
    codes.push(result.exitCode);
    if (result.outcome === 'interrupted') break;
  }
  const table = verdictTable(journals);
  if (values.junit) {
    mkdirSync(dirname(resolve(values.junit)), { recursive: true });
    writeFileSync(values.junit, junitXml(journals));
  }
  if (values['allure-results']) {
    writeAllureResults(values['allure-results'], journals);
    writeResultsExtras(values['allure-results'], journals, { extra: { node: process.version } });
  }
  const code = combineExitCodes(codes);
  for (const file of values.summary ?? []) appendSummary(file, summaryMarkdown(code, table));
  process.stdout.write(values.json ? JSON.stringify(table, null, 2) + '\n' : formatVerdictTable(table) + '\n');
  return code;
}

/** Every file is loaded before anything runs, so one bad file refuses the whole command with every problem listed. */
function loadFiles(files: string[]): Planned[] {
  const loaded: Planned[] = [];
  const problems: FaultlineError[] = [];
  for (const file of files) {
    try {
      const { scenario, targets, topologyFile } = loadExperiment(file);
      loaded.push({ scenario, ...(topologyFile && { targets }) });
    } catch (e) {
      if (e instanceof PreflightError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length) throw new PreflightError(problems);
  return loaded;
}

function appendSummary(path: string, markdown: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  appendFileSync(path, markdown);
}
