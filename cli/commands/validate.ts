import { PrometheusClient, PrometheusSloJudge } from '../../assertions/index.ts';
import { LabFaultDriver } from '../../chaos/lab/index.ts';
import { readLabSnapshot } from '../../lab/index.ts';
import { ExitCode, validateScenario, type FaultlineError, type Scenario } from '../../core/index.ts';
import { catalog, labRunDir, requireScenario } from '../../scenarios/index.ts';
import { requireTopology } from '../../targets/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const HELP = `faultline validate: preflight without running anything.

Usage: faultline validate [scenario...] [options]

Checks each scenario (default: all of them) the way a run's preflight would, and injects nothing:
  always       names exist in the topology (regions, services, datastores, links), durations parse,
               objectives are in range, fault and SLO names are unique, every scenario has an SLO;
  --live       also against the running lab: every fault's selector matches live processes or links,
               Prometheus answers, and every PromQL query parses (data under load is checked at run time).

Options:
  --live           check against the running lab and its Prometheus (default: static checks only)
  --run-dir DIR    the lab's run folder (default: .faultline/lab)
  --json           machine-readable output

Exit code: 0 when every scenario is valid, 2 otherwise.

Examples:
  faultline validate
  faultline validate tgw-partition-jkt-bdg --live --json
`;

export const command: Command = {
  name: 'validate',
  summary: 'preflight only: names, durations, objectives, selectors and PromQL, without injecting anything',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('validate', argv, {
      live: { type: 'boolean', default: false },
      'run-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const scenarios = positionals.length ? positionals.map(requireScenario) : catalog;
    const report: { scenario: string; problems: { code: string; message: string }[] }[] = [];
    for (const scenario of scenarios) {
      const problems = await check(scenario, values.live, values['run-dir']);
      report.push({ scenario: scenario.name, problems: problems.map((p) => ({ code: p.code, message: p.message })) });
    }
    const ok = report.every((r) => r.problems.length === 0);
    if (values.json) {
      process.stdout.write(JSON.stringify({ ok, live: values.live, scenarios: report }, null, 2) + '\n');
    } else {
      for (const r of report) {
        process.stdout.write(`${r.problems.length ? '✗' : '✓'} ${r.scenario}${r.problems.length ? '' : values.live ? ' (static and live checks)' : ' (static checks; --live for selectors and PromQL)'}\n`);
        for (const p of r.problems) process.stdout.write(`    [${p.code}] ${p.message.replace(/\n/g, '\n    ')}\n`);
      }
    }
    return ok ? ExitCode.ok : ExitCode.preflight;
  },
};

async function check(scenario: Scenario, live: boolean, runDirOption?: string): Promise<FaultlineError[]> {
  const targets = requireTopology(scenario.topology);
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
