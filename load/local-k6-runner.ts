import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  FaultlineError,
  parseDuration,
  type Duration,
  type LoadProfile,
  type LoadRunner,
  type LoadSummary,
  type RunningLoad,
} from '../core/index.ts';
import { buildK6Options, DEFAULT_REQUEST_TIMEOUT } from './k6-options.ts';
import { GAMEDAY_SCRIPT, k6Binary } from './k6-paths.ts';
import { parseK6Summary } from './k6-summary.ts';
import { RequestTail } from './request-tail.ts';
import { K6_CONFIG_ENV, type K6ScriptConfig } from './k6/script-config.ts';

export interface LocalK6RunnerOptions {
  /** Region → base URL of that region's ingress. Every region of a profile needs one. */
  ingress: Record<string, string>;
  /** Folder for each run's config, summary and log (`k6-<scenario>.*`). Created if missing. */
  outDir: string;
  /** Prometheus base URL; k6 remote-writes to `<url>/api/v1/write` every second. Default: no remote write. */
  prometheusUrl?: string;
  /** Folder holding `bin/k6`. Default: FAULTLINE_TOOLS, else the project's `.tools`. */
  toolsDir?: string;
  /** Reads ask for ids 1..itemCount. Default 1000. */
  itemCount?: number;
  /** How long stop() waits after SIGINT before it kills k6. Default '15s'. */
  stopGrace?: Duration;
  /** The k6 script. Default: the game-day script. */
  script?: string;
  /** Stream every request to the harness (`<outDir>/k6-<scenario>.requests.jsonl`). Default true. */
  streamRequests?: boolean;
}

/** A k6 process this runner started. */
export interface LocalK6Run extends RunningLoad, AsyncDisposable {
  readonly pid: number;
  readonly logPath: string;
  readonly summaryPath: string;
  readonly requests?: RequestTail;
}

/** Runs the load with the k6 binary on this machine: one k6 process, one scenario per region. */
export class LocalK6Runner implements LoadRunner {
  readonly streamsRequests: boolean;

  constructor(private readonly o: LocalK6RunnerOptions) {
    this.streamsRequests = o.streamRequests ?? true;
  }

  async start(profile: LoadProfile, run: { runId: string; scenario: string; durationMs: number }): Promise<LocalK6Run> {
    const binary = k6Binary(this.o.toolsDir);
    for (const region of Object.keys(profile.regions)) {
      if (this.o.ingress[region]) continue;
      throw new FaultlineError(
        'FAULTLINE_UNKNOWN_NAME',
        `the load profile names region "${region}", which has no ingress URL; no load was started`,
        `use one of: ${Object.keys(this.o.ingress).join(', ') || '(no ingress configured)'}`,
      );
    }
    const outDir = resolve(this.o.outDir);
    mkdirSync(outDir, { recursive: true });
    const base = join(outDir, `k6-${slug(run.scenario)}`);
    const paths = { config: `${base}.config.json`, summary: `${base}.summary.json`, log: `${base}.log`, requests: `${base}.requests.jsonl` };
    // A summary left by an earlier run must never pass for this one's.
    rmSync(paths.summary, { force: true });
    const config: K6ScriptConfig = {
      options: { ...buildK6Options(profile, { durationMs: run.durationMs, runId: run.runId }) },
      ingress: Object.fromEntries(Object.keys(profile.regions).map((r) => [r, this.o.ingress[r]!])),
      writeRatio: profile.writeRatio,
      requestTimeoutMs: parseDuration(profile.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT, 'requestTimeout'),
      itemCount: this.o.itemCount ?? 1000,
      summaryPath: paths.summary,
      streamRequests: this.streamsRequests,
      writeIdPrefix: run.runId,
    };
    writeFileSync(paths.config, `${JSON.stringify(config, null, 2)}\n`);

    const remoteWrite = this.o.prometheusUrl !== undefined;
    const args = [
      'run',
      '--quiet',
      '--no-color',
      // k6 otherwise reports usage to Grafana over the internet.
      '--no-usage-report',
      // The native-histogram switch; v2.2.0 deprecates K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM in its favour.
      ...(remoteWrite ? ['--features', 'native-histograms', '-o', 'experimental-prometheus-rw'] : []),
      // The request stream: the script's console lines, written unbuffered to their own file. Raw format keeps each
      // line exactly the JSON the script logged (k6's own log, on stderr, then shows bare messages too).
      ...(this.streamsRequests ? ['--console-output', paths.requests, '--log-format', 'raw'] : []),
      this.o.script ?? GAMEDAY_SCRIPT,
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, [K6_CONFIG_ENV]: paths.config, K6_NO_USAGE_REPORT: 'true' };
    if (remoteWrite) {
      env.K6_PROMETHEUS_RW_SERVER_URL = `${this.o.prometheusUrl!.replace(/\/+$/, '')}/api/v1/write`;
      env.K6_PROMETHEUS_RW_PUSH_INTERVAL = '1s';
    }
    // Followed from before k6 starts, so not one line is missed.
    const requests = this.streamsRequests ? new RequestTail(paths.requests) : undefined;
    const log = openSync(paths.log, 'w');
    // Its own process group: a Ctrl-C meant for the harness must not reach k6 too, or the harness's own SIGINT
    // in stop() would be k6's second one, which aborts without a summary.
    // setpriv (util-linux, always on Debian) execs k6 with a parent-death signal: if the harness is killed -9,
    // the kernel sends k6 SIGTERM, so no load generator outlives the run. k6 keeps its pid.
    const child = spawn('setpriv', ['--pdeathsig', 'TERM', '--', binary, ...args], { cwd: outDir, env, detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    try {
      await new Promise<void>((ok, fail) => {
        child.once('spawn', ok);
        child.once('error', (e) =>
          fail(new FaultlineError('FAULTLINE_SETUP_MISSING', `k6 at ${binary} could not start: ${e.message}`, 'run `npm run setup` again', { cause: e })),
        );
      });
    } catch (error) {
      requests?.close();
      throw error;
    }
    return new K6Process(child, profile, paths, parseDuration(this.o.stopGrace ?? '15s', 'stopGrace'), requests);
  }
}

class K6Process implements LocalK6Run {
  readonly done: Promise<LoadSummary>;
  readonly pid: number;
  readonly logPath: string;
  readonly summaryPath: string;
  private exited = false;

  constructor(
    private readonly child: ChildProcess,
    profile: LoadProfile,
    paths: { summary: string; log: string },
    private readonly graceMs: number,
    readonly requests?: RequestTail,
  ) {
    this.pid = child.pid!;
    this.logPath = paths.log;
    this.summaryPath = paths.summary;
    // k6 must not outlive a harness that exits without stopping it (an uncaught error, process.exit).
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    this.done = new Promise<LoadSummary>((ok, fail) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        process.off('exit', killOnExit);
        // k6 is gone: its last lines are on disk; read them and stop following.
        requests?.close();
        if (!existsSync(paths.summary)) {
          fail(
            new FaultlineError(
              'FAULTLINE_HARNESS',
              `k6 ended (${signal ?? `exit code ${code}`}) without writing its summary. Last lines of its log:\n${tail(paths.log)}`,
              `read the whole log: ${paths.log}`,
            ),
          );
          return;
        }
        try {
          ok(parseK6Summary(JSON.parse(readFileSync(paths.summary, 'utf8')), { profile, rawPath: paths.summary }));
        } catch (e) {
          fail(e);
        }
      });
    });
    // Whoever holds the run may only ever call stop(); a failure must then not surface as an unhandled rejection.
    this.done.catch(() => {});
  }

  /** SIGINT makes k6 stop its scenarios and still run handleSummary; a k6 that ignores it is killed after the grace. */
  async stop(): Promise<LoadSummary> {
    if (!this.exited) {
      this.child.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((ok) => {
        timer = setTimeout(() => {
          this.child.kill('SIGKILL');
          ok();
        }, this.graceMs);
      });
      await Promise.race([this.done.catch(() => {}), killed]);
      clearTimeout(timer);
    }
    return this.done;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop().catch(() => {});
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'run';
}

function tail(path: string, lines = 8): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `  ${l}`).join('\n');
  } catch {
    return '  (no log)';
  }
}
