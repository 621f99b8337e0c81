import { PrometheusClient, PrometheusSloJudge } from '../../assertions/index.ts';
import { LabFaultDriver } from '../../chaos/lab/index.ts';
import { readLabSnapshot } from '../../lab/index.ts';
import { resolve } from 'node:path';
import { ExitCode, PreflightError, validateScenario, type FaultlineError, type Scenario } from '../../core/index.ts';
import { displayPath, FileProblem, loadFile, type LoadedFile } from '../../experiments/index.ts';
import { catalog, labRunDir, requireScenario } from '../../scenarios/index.ts';
import { requireTopology, type TopologyTargets } from '../../targets/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const HELP = `faultline validate: preflight without running anything.

Usage: faultline validate [scenario...] [options]
       faultline validate -f FILE [-f FILE ...] [--live] [--json]

Checks each scenario (default: all of them) the way a run's preflight would, and injects nothing:
  always       names exist in the topology (regions, services, datastores, links), durations parse,
               objectives are in range, fault and SLO names are unique, every scenario has an SLO;
  --live       also against the running lab: every fault's selector matches live processes or links,
               Prometheus answers, and every PromQL query parses (data under load is checked at run time).

Files (-f): an experiment file, or a topology file (told apart by content: a topology lists regions and has no
faults). Checked against the shipped JSON Schema (field names, types, fault and SLO kinds, durations with units),
then the topology (every region a link, replica, service or binding names exists; CIDRs; blast radius), then the
experiment against its topology. Each problem is reported as file:line:column, the field, and a hint.

Options:
  -f, --file FILE  an experiment or topology file (YAML or JSON); repeat for several
  --live           check against the running lab and its Prometheus (default: static checks only)
  --run-dir DIR    the lab's run folder (default: .faultline/lab)
  --json           machine-readable output

Exit code: 0 when every scenario is valid, 2 otherwise.

Examples:
  faultline validate
  faultline validate -f my-experiment.yaml -f my-system.topology.yaml
  faultline validate tgw-partition-jkt-bdg --live --json
`;

export const command: Command = {
  name: 'validate',
  summary: 'preflight only: names, durations, objectives, selectors and PromQL, without injecting anything',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('validate', argv, {
      file: { type: 'string', short: 'f', multiple: true },
      live: { type: 'boolean', default: false },
      'run-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const files = values.file ?? [];
    const scenarios = positionals.length || files.length ? positionals.map(requireScenario) : catalog;
    const report: { scenario: string; file?: string; kind?: string; problems: object[] }[] = [];
    for (const scenario of scenarios) {
      const problems = await check(scenario, values.live, values['run-dir']);
      report.push({ scenario: scenario.name, problems: problems.map((p) => ({ code: p.code, message: p.message })) });
    }
    for (const file of files) {
      let loaded: LoadedFile | undefined;
      let problems: FaultlineError[] = [];
      try {
        loaded = loadFile(file);
      } catch (e) {
        if (!(e instanceof PreflightError)) throw e;
        problems = e.problems;
      }
      if (loaded?.kind === 'experiment') problems = await check(loaded.experiment.scenario, values.live, values['run-dir'], loaded.experiment.targets);
      const name = loaded?.kind === 'experiment' ? loaded.experiment.scenario.name : loaded?.kind === 'topology' ? loaded.topology.topology.name : displayPath(resolve(file));
      report.push({
        scenario: name,
        file: displayPath(resolve(file)),
        ...(loaded && { kind: loaded.kind }),
        problems: problems.map((p) => (p instanceof FileProblem ? p.toJSON() : { code: p.code, message: p.message })),
      });
    }
    const ok = report.every((r) => r.problems.length === 0);
    if (values.json) {
      process.stdout.write(JSON.stringify({ ok, live: values.live, scenarios: report }, null, 2) + '\n');
    } else {
      for (const r of report) {
        const what = r.file ? `${r.file}${r.kind ? ` (${r.kind} ${r.scenario})` : ''}` : r.scenario;
        const checks = r.kind === 'topology' ? ' (schema and structure)' : values.live ? ' (static and live checks)' : ' (static checks; --live for selectors and PromQL)';
        process.stdout.write(`${r.problems.length ? '✗' : '✓'} ${what}${r.problems.length ? '' : checks}\n`);
        for (const p of r.problems as { code: string; message: string; file?: string; line?: number; column?: number; field?: string; hint?: string }[]) {
          const where = p.file ? `${p.file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ''}` : '';
          process.stdout.write(`    [${p.code}] ${where}${p.message.replace(/\n/g, '\n    ')}${p.hint ? `\n      → ${p.hint}` : ''}\n`);
        }
      }
    }
    return ok ? ExitCode.ok : ExitCode.preflight;
  },
};

async function check(scenario: Scenario, live: boolean, runDirOption?: string, given?: TopologyTargets): Promise<FaultlineError[]> {
  const targets = given ?? requireTopology(scenario.topology);
  const problems = validateScenario(scenario, targets.topology);
  // Only topologies with a lab binding have something live to check on this machine.
  if (!live || problems.length || !targets.lab) return problems;
  const runDir = labRunDir(targets, runDirOption);
  const { state } = readLabSnapshot(runDir);
  const driver = new LabFaultDriver({ runDir, topology: targets.topology });
  for (const plan of scenario.faults) problems.push(...(await driver.check(plan)));
  // No load runs during validate, so "returns data now" cannot be asked of load-fed SLIs; a run checks that.
  const judge = new PrometheusSloJudge(new PrometheusClient({ url: state.prometheus.url }), { checkLoadData: false });
  problems.push(...(await judge.check(scenario.slos, scenario.guardrails)).filter((p) => p.code !== 'FAULTLINE_NO_DATA'));
  return problems;
}
