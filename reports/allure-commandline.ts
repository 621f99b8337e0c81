import { execFile, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { FaultlineError } from '../core/index.ts';
import { writeExecutor, type ExecutorInfo } from './executor.ts';
import { copyHistory, nextBuildOrder } from './history.ts';
import { extendScoreTrend, TREND_FILE } from './score-trend.ts';

export interface GenerateReportOptions {
  /** Where allure-playwright wrote the results (FAULTLINE_ALLURE_RESULTS, default `allure-results`). */
  resultsDir: string;
  /** Where the HTML report goes; emptied first (`--clean`). */
  reportDir: string;
  /** The report whose history the new one continues. Default: `reportDir`, i.e. the last report generated there. */
  previousReportDir?: string;
  /** Overrides for `executor.json`. By default an existing one is kept and a missing one written with the next build number. */
  executor?: ExecutorInfo;
}

/**
 * Renders the HTML report with allure-commandline (Allure 2, needs Java): carries the previous report's history
 * over first so trends continue, then `allure generate <results> -o <report> --clean`.
 * Returns the path of the report's index.html.
 */
export async function generateAllureReport(options: GenerateReportOptions): Promise<string> {
  const resultsDir = resolve(options.resultsDir);
  const reportDir = resolve(options.reportDir);
  requireResults(resultsDir);
  const allure = allureBinary();
  requireJava();
  copyHistory(resolve(options.previousReportDir ?? reportDir), resultsDir);
  const buildOrder = options.executor?.buildOrder ?? nextBuildOrder(resultsDir);
  if (options.executor || !existsSync(join(resultsDir, 'executor.json'))) {
    writeExecutor(resultsDir, { buildOrder, ...options.executor });
  }
  // Allure has no trend for a number of ours: faultline keeps the resilience score's own, beside Allure's history.
  extendScoreTrend(resultsDir, buildOrder);
  try {
    await promisify(execFile)(allure, ['generate', resultsDir, '-o', reportDir, '--clean'], { maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as Error & { stderr?: string; stdout?: string };
    throw new FaultlineError(
      'FAULTLINE_HARNESS',
      `allure generate failed for ${resultsDir}: ${(err.stderr || err.stdout || err.message).trim()}`,
      'check that the results dir holds allure-playwright output; run `npx allure generate <results> -o <report>` by hand to see the whole error',
      { cause: e },
    );
  }
  const trend = join(resultsDir, 'history', TREND_FILE);
  if (existsSync(trend)) {
    mkdirSync(join(reportDir, 'history'), { recursive: true });
    copyFileSync(trend, join(reportDir, 'history', TREND_FILE));
  }
  const index = join(reportDir, 'index.html');
  if (!existsSync(index)) {
    throw new FaultlineError('FAULTLINE_HARNESS', `allure generate finished but wrote no ${index}`, 'run it by hand to see why');
  }
  return index;
}

/**
 * Serves a generated report with `allure open` on 127.0.0.1 (Allure's pages load their data over XHR, which
 * browsers refuse from file://). Resolves when the server stops (Ctrl-C).
 */
export async function openAllureReport(reportDir: string, options: { port?: number } = {}): Promise<number> {
  const dir = resolve(reportDir);
  if (!existsSync(join(dir, 'index.html'))) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `no Allure report in ${dir}`, 'generate one first: faultline report --results <dir> --out <dir>');
  }
  const allure = allureBinary();
  requireJava();
  const args = ['open', '-h', '127.0.0.1', ...(options.port ? ['-p', String(options.port)] : []), dir];
  const child = spawn(allure, args, { stdio: 'inherit' });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code) => done(code ?? 0));
  });
}

function requireResults(resultsDir: string): void {
  const hasResults = existsSync(resultsDir) && readdirSync(resultsDir).some((f) => f.endsWith('-result.json'));
  if (!hasResults) {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      `no Allure test results (*-result.json) in ${resultsDir}`,
      'run the game days first (npm run gameday), or point at the folder allure-playwright wrote: FAULTLINE_ALLURE_RESULTS, default allure-results',
    );
  }
}

/** The Allure 2 launcher inside the allure-commandline package (a devDependency). */
function allureBinary(): string {
  let pkg: string;
  try {
    pkg = dirname(createRequire(import.meta.url).resolve('allure-commandline/package.json'));
  } catch (e) {
    throw new FaultlineError(
      'FAULTLINE_SETUP_MISSING',
      'the allure-commandline package is not installed, so the HTML report cannot be generated',
      'run npm install (allure-commandline is a devDependency of faultline)',
      { cause: e },
    );
  }
  const bin = join(pkg, 'dist', 'bin', 'allure');
  if (!existsSync(bin)) {
    throw new FaultlineError('FAULTLINE_SETUP_MISSING', `allure-commandline has no launcher at ${bin}`, 'reinstall it: npm ci');
  }
  return bin;
}

/** Allure 2 is a Java program; its launcher finds Java through JAVA_HOME, then PATH, as this does. */
function requireJava(): void {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const probe = spawnSync(java, ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new FaultlineError(
      'FAULTLINE_SETUP_MISSING',
      `Java was not found (${process.env.JAVA_HOME ? `JAVA_HOME=${process.env.JAVA_HOME}` : 'no java on PATH'}); allure-commandline needs it to render the report`,
      'install Java 17 or newer (Debian: apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME; the results dir is intact, so run faultline report again afterwards',
    );
  }
}
