import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { combineExitCodes, Journal } from '../../core/index.ts';
import { formatVerdictTable, junitXml, verdictTable } from '../../reports/index.ts';
import { catalog, requireScenario } from '../../scenarios/catalog.ts';
import { runOnLab } from '../../scenarios/lab-run.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const HELP = `faultline run: run named scenarios on the running lab, straight from the CLI (no Playwright).

Usage: faultline run <scenario>... [options]

For ad-hoc experiments and scripts. Each scenario runs its full timeline (preflight → steady state → load →
faults → recovery → verdict); Ctrl-C reverts every fault before exiting. Progress goes to stderr, the verdict
table (or JSON) to stdout. For the Allure report use \`faultline gameday\`; for one fault, \`faultline inject\`.

Options:
  --run-dir DIR    the lab's run folder (default: .faultline/lab)
  --junit FILE     also write JUnit XML (one testcase per SLO)
  --json           print the verdict table as JSON
  --list           list the scenarios and exit

Scenarios: ${catalog.map((s) => s.name).join(', ')}

Examples:
  faultline run tgw-partition-jkt-bdg
  faultline run jkt-pod-loss bdg-replica-lag-5s --junit results.xml
`;

export const command: Command = {
  name: 'run',
  summary: 'run named scenarios on the lab from the CLI (verdict table, JUnit, exit code)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('run', argv, {
      'run-dir': { type: 'string' },
      junit: { type: 'string' },
      json: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
    });
    if (values.list || positionals.length === 0) {
      process.stdout.write(catalog.map((s) => `${s.name.padEnd(24)} ${s.description ?? ''}`).join('\n') + '\n');
      return values.list ? 0 : 2;
    }
    const scenarios = positionals.map(requireScenario);
    const journals = [];
    const codes: number[] = [];
    for (const scenario of scenarios) {
      const result = await runOnLab(scenario, { runDir: values['run-dir'], progress: (line) => process.stderr.write(line + '\n') });
      journals.push(Journal.read(result.journalPath));
      codes.push(result.exitCode);
      if (result.exitCode === 130) break;
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
