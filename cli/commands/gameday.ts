import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ExitCode, FaultlineError, Journal, type JournalEntry } from '../../core/index.ts';
import { labDown, labUp } from '../../lab/index.ts';
import { k6Binary } from '../../load/index.ts';
import { formatVerdictTable, generateAllureReport, verdictTable, writeResultsExtras } from '../../reports/index.ts';
import { requireTopology } from '../../targets/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

/** Where each topology's game-day suites live; `gameday --topology` runs that folder only. */
const GAMEDAY_SUITES = [
  { topology: 'tri-region-tgw', folder: 'scenarios/tri-region-tgw/' },
  { topology: 'garage-platform', folder: 'scenarios/garage/platform/' },
  { topology: 'garage-workshop', folder: 'scenarios/garage/workshop/' },
  { topology: 'garage-inventory', folder: 'scenarios/garage/inventory/' },
  { topology: 'multi-cloud-mesh', folder: 'scenarios/multi-cloud-mesh/' },
];

const HELP = `faultline gameday: run a topology's game days on its embedded lab and write an Allure report.

Usage: faultline gameday [options]

What it does, in order:
  1. brings the topology's lab up on 127.0.0.1 if it is not running (faultline lab up --topology …); by default the
     tri-region lab (seed 003);
  2. runs that topology's game-day suites through Playwright. Seed 003 (default): JKT pod loss, TGW partition
     JKT↔BDG, BDG replica lag 5 s. The garage slices: primary region loss → failover (manual and automatic), CDC and
     mirror lag at failover. Seed 004 (multi-cloud-mesh): mesh HTTP abort and delay on api-gateway → core-services,
     the Interconnect partition, aws-primary loss → failover to gcp-dr. Each one: preflight → k6 load in every
     region → steady state (baseline SLOs) → faults injected, held and reverted under guardrails (and the failover runbook run) → recovery under load → verdicts;
  3. generates the Allure HTML report (with history from the previous report) and prints a verdict table;
  4. brings the lab down again if it started it (--keep-lab leaves it up).

Options:
  --topology NAME     whose game days to run, on that topology's lab (default: tri-region-tgw; with a lab:
                      ${GAMEDAY_SUITES.map((s) => s.topology).join(', ')})
  --grep TEXT         run only game days whose title matches (a regular expression)
  --negative          run the negative suite instead: a game day the lab cannot survive, which must FAIL
                      (proves the gate can fail; exits 1 and names the failing SLO)
  --results DIR       Allure results folder (default: allure-results; emptied first)
  --report DIR        Allure HTML report folder (default: allure-report)
  --junit FILE        JUnit XML for CI (default: test-results/junit.xml)
  --keep-lab          leave the lab running afterwards (default: stop it if this command started it)
  --no-report         skip the HTML report (results are still written)
  --json              print the verdict table as JSON instead of text

Exit codes: 0 all SLOs passed · 1 an SLO failed · 2 preflight refused · 3 guardrail abort · 4 inconclusive ·
5 harness error · 130 interrupted. With several game days the most actionable code wins (see README).

Examples:
  faultline gameday
  faultline gameday --topology garage-platform      # the platform slice's failover game days (about 4 min)
  faultline gameday --grep "partition" --keep-lab
  faultline gameday --negative            # must exit 1
`;

export const command: Command = {
  name: 'gameday',
  summary: 'run the game days on the lab, judge SLOs, write the Allure report (the main job)',
  help: HELP,
  async run(argv) {
    const { values } = parseCommandArgs('gameday', argv, {
      topology: { type: 'string', default: 'tri-region-tgw' },
      grep: { type: 'string' },
      negative: { type: 'boolean', default: false },
      results: { type: 'string', default: 'allure-results' },
      report: { type: 'string', default: 'allure-report' },
      junit: { type: 'string', default: join('test-results', 'junit.xml') },
      'keep-lab': { type: 'boolean', default: false },
      'no-report': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const say = (line: string) => process.stderr.write(`[gameday] ${line}\n`);
    const suite = GAMEDAY_SUITES.find((s) => s.topology === values.topology);
    const { topology, lab: binding } = requireTopology(values.topology);
    if (!suite || !binding) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${values.topology}" has no game days on the lab`, `use one of: ${GAMEDAY_SUITES.map((s) => s.topology).join(', ')}`);
    }

    say(`lab: making sure the ${topology.name} lab is up (first start takes about a minute)`);
    const up = await labUp({ topology, binding: binding!, log: (line) => say(`lab: ${line}`) });
    const session = resolve('.faultline', 'sessions', new Date().toISOString().replace(/[:.]/g, '-'));
    const resultsDir = resolve(values.results);
    rmSync(resultsDir, { recursive: true, force: true });

    let playwrightCode: number;
    try {
      playwrightCode = await runPlaywright({
        folder: suite.folder,
        grep: values.negative ? '@negative' : values.grep,
        includeNegative: values.negative,
        env: {
          FAULTLINE_SESSION_DIR: session,
          FAULTLINE_ALLURE_RESULTS: resultsDir,
          FAULTLINE_JUNIT: resolve(values.junit),
          FAULTLINE_KEEP_LAB: '1',
        },
      });
    } finally {
      if (up.started && !values['keep-lab']) {
        say('lab: stopping the lab this command started (--keep-lab keeps it)');
        await labDown({ runDir: up.state.runDir });
      }
    }

    const journals = readJournals(join(session, 'journals'));
    if (journals.length === 0) {
      say(`Playwright exited ${playwrightCode} and no game day ran`);
      return playwrightCode === 0 ? ExitCode.preflight : ExitCode.harnessError;
    }
    const table = verdictTable(journals);
    writeResultsExtras(resultsDir, journals, {
      k6Version: versionOf(k6Binary(), ['version']),
      prometheusVersion: versionOf('prometheus', ['--version']),
      extra: { node: process.version },
    });
    let reportPath: string | undefined;
    if (!values['no-report']) {
      say('report: generating the Allure HTML report');
      reportPath = await generateAllureReport({ resultsDir, reportDir: resolve(values.report) });
    }
    if (values.json) {
      process.stdout.write(JSON.stringify({ ...table, report: reportPath, junit: resolve(values.junit), session }, null, 2) + '\n');
    } else {
      process.stdout.write(`\n${formatVerdictTable(table)}\n`);
      if (reportPath) process.stdout.write(`Allure report: ${relative(process.cwd(), reportPath)}  (serve it: faultline report --open)\n`);
      process.stdout.write(`JUnit: ${relative(process.cwd(), resolve(values.junit))}   journals: ${relative(process.cwd(), session)}\n`);
    }
    // Playwright failing with every journal passing means the harness itself broke (a fixture, a reporter).
    if (table.exitCode === ExitCode.ok && playwrightCode !== 0) return ExitCode.harnessError;
    return table.exitCode;
  },
};

function runPlaywright(o: { folder: string; grep?: string; includeNegative: boolean; env: Record<string, string> }): Promise<number> {
  const args = ['playwright', 'test', '--project=gameday', o.folder, ...(o.grep ? ['--grep', o.grep] : [])];
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npx', ['--no-install', ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...o.env, ...(o.includeNegative ? { FAULTLINE_INCLUDE_NEGATIVE: '1' } : {}) },
    });
    // Ctrl-C reaches Playwright through the process group; it tears the fixtures down, which reverts every fault.
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (e) => reject(new FaultlineError('FAULTLINE_SETUP_MISSING', `cannot start Playwright: ${e.message}`, 'run npm run setup')));
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolvePromise(code ?? (signal ? ExitCode.interrupted : ExitCode.harnessError));
    });
  });
}

function readJournals(dir: string): JournalEntry[][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => Journal.read(join(dir, f)));
}

/** First line of a tool's version output, for the report's environment; absent rather than failing the run. */
function versionOf(binary: string, args: string[]): string | undefined {
  try {
    return execFileSync(binary, args, { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}
