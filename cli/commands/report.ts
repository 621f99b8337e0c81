import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode, FaultlineError } from '../../core/index.ts';
import {
  formatVerdictTable,
  generateAllureReport,
  junitXml,
  openAllureReport,
  readJournalFile,
  verdictTable,
  writeCategories,
} from '../../reports/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const DEFAULT_RESULTS = process.env.FAULTLINE_ALLURE_RESULTS ?? 'allure-results';
const DEFAULT_OUT = 'allure-report';

const HELP = `faultline report: turn game-day results into something people read.

Usage:
  faultline report [--results DIR] [--out DIR] [--history DIR] [--open [--port N]]
  faultline report --journal FILE [--journal FILE ...] [--json] [--junit FILE]

HTML report (from Allure results, e.g. after npm run gameday):
  --results DIR   Allure results written by the game days (default: $FAULTLINE_ALLURE_RESULTS, else allure-results)
  --out DIR       where the HTML report goes; emptied first (default: allure-report)
  --history DIR   earlier report whose trends to continue (default: the --out dir, i.e. the last report there)
  --open          serve the report on 127.0.0.1 with allure open and wait (Ctrl-C to stop)
  --port N        port for --open (default: any free port; the URL is printed)
  Needs Java 17+ for allure-commandline. Prints the path of index.html.

Verdict table (from run journals, the JSON-lines record every run writes):
  --journal FILE  a run journal (JSON lines, or the "journal" attachment of the report); repeat for several
  --json          print the table as JSON instead of text
  --junit FILE    also write JUnit XML: one testsuite per scenario, one testcase per SLO
                  (fail = failure, inconclusive = skipped, guardrail abort / harness error = error)
  Exits with the runs' combined exit code (0 passed, 1 SLO failed, 2 preflight, 3 guardrail abort,
  4 inconclusive, 5 harness error), so a pipeline can gate on a finished run's journal.

Examples:
  faultline report                                   regenerate allure-report/ from allure-results/
  faultline report --results ci/allure-results --out public/gameday --open
  faultline report --journal runs/jkt-pod-loss.jsonl --journal runs/tgw-partition.jsonl
  faultline report --journal run.jsonl --json | jq '.runs[].slos[] | select(.verdict != "pass")'
`;

export const command: Command = {
  name: 'report',
  summary: 'regenerate the Allure HTML report (with history), or print the verdict table of run journals',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('report', argv, {
      results: { type: 'string' },
      out: { type: 'string' },
      history: { type: 'string' },
      open: { type: 'boolean', default: false },
      port: { type: 'string' },
      journal: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      junit: { type: 'string' },
    });
    if (positionals.length) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `unexpected argument "${positionals[0]}"`, 'see: faultline report --help');
    }
    const journals = values.journal ?? [];
    if (journals.length) {
      if (values.results || values.out || values.history || values.open || values.port) {
        throw new FaultlineError(
          'FAULTLINE_BAD_INPUT',
          '--journal prints a verdict table; --results/--out/--history/--open build the HTML report',
          'run them as two commands; see: faultline report --help',
        );
      }
      return printVerdicts(journals, values.json, values.junit);
    }
    if (values.json || values.junit) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', '--json and --junit need at least one --journal FILE', 'see: faultline report --help');
    }
    const resultsDir = values.results ?? DEFAULT_RESULTS;
    const reportDir = values.out ?? DEFAULT_OUT;
    // Results from a plain `playwright test` run carry no categories; without them every game-day failure lands
    // in Allure's generic "Product defects".
    if (existsSync(resultsDir) && !existsSync(join(resultsDir, 'categories.json'))) writeCategories(resultsDir);
    const index = await generateAllureReport({ resultsDir, reportDir, ...(values.history && { previousReportDir: values.history }) });
    process.stdout.write(`Allure report: ${index}\n`);
    if (values.open) await openAllureReport(reportDir, { ...(values.port && { port: parsePort(values.port) }) });
    else process.stdout.write(`Open it with: faultline report --out ${reportDir} --open   (or npx allure open ${reportDir})\n`);
    return ExitCode.ok;
  },
};

function printVerdicts(paths: string[], json: boolean, junitPath: string | undefined): number {
  const journals = paths.map(readJournalFile);
  const table = verdictTable(journals);
  if (junitPath) {
    mkdirSync(dirname(junitPath), { recursive: true });
    writeFileSync(junitPath, junitXml(journals));
  }
  process.stdout.write(json ? JSON.stringify(table, null, 2) + '\n' : formatVerdictTable(table));
  if (junitPath && !json) process.stdout.write(`\nJUnit XML: ${junitPath}\n`);
  return table.exitCode;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `--port ${text} is not a port number`, 'give a number from 1 to 65535, or leave --port out');
  }
  return port;
}
