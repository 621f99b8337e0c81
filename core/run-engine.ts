import { sleep, sleepUntil } from './abortable-sleep.ts';
import { AppliedFaults } from './applied-faults.ts';
import { judgeBounded, READ_DEADLINE_AFTER_FAIL_CLOSED_MS } from './bounded-judging.ts';
import { watchGenerator } from './generator-watch.ts';
import { judgeLoadDelivered, loadDelivered } from './load-delivery.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { FaultlineError, isFaultlineError, PreflightError } from './errors.ts';
import type { FailoverDriver } from './failover-driver.ts';
import { runFailoverStep, type FailoverRecord } from './failover-step.ts';
import type { FaultDriver } from './fault-driver.ts';
import { watchGuardrails, type GuardrailBreach } from './guardrail-watch.ts';
import { interruptOn } from './interrupts.ts';
import type { Journal, Phase } from './journal.ts';
import type { Ledger } from './ledger.ts';
import type { LoadRunner, LoadSummary, RunningLoad } from './load-runner.ts';
import { runPreflight } from './run-preflight.ts';
import { EXIT_CODE_OF, type RunResult } from './run-result.ts';
import { revertReasonFor, verdictOf, verdictOfError, verdictOfFailedReverts, type RunVerdict } from './run-verdict.ts';
import { LeaseSlot } from './target-lease.ts';
import { faultPhaseMs, loadDurationMs, type Scenario } from './scenario.ts';
import type { SloResult, TimeRange } from './slo.ts';
import type { RunWindows, SloJudge } from './slo-judge.ts';
import type { Topology } from './topology.ts';

export interface RunOptions {
  scenario: Scenario;
  topology: Topology;
  driver: FaultDriver;
  load: LoadRunner;
  judge: SloJudge;
  ledger: Ledger;
  journal: Journal;
  runId: string;
  /** Runs the scenario's failover runbooks; required when the scenario has a failover. Default: none. */
  failover?: FailoverDriver;
  /** Wraps each phase. The Playwright fixture passes `test.step`, so each phase is a step in the report. */
  step?: <T>(title: string, body: () => Promise<T>) => Promise<T>;
  /** Aborting it ends the run early; every applied fault is still reverted. */
  signal?: AbortSignal;
  /** Progress lines for humans watching a long run. Default: none. */
  progress?: (line: string) => void;
  /** Revert and stop on SIGINT/SIGTERM. Default true; the Playwright fixture turns it off (Playwright owns signals). */
  handleSignals?: boolean;
  /** Run even if another experiment holds the target's lease; both journals say so. Default false: refused at preflight. */
  allowConcurrent?: boolean;
}

/** How a caller observes and controls a run, whichever target it runs on. */
export type RunHooks = Pick<RunOptions, 'step' | 'signal' | 'progress' | 'handleSignals' | 'allowConcurrent'>;

interface Judged {
  verdict: RunVerdict;
  slos: SloResult[];
  windows?: RunWindows;
}

/** One guardrail reading per guardrail this often is printed during a long hold, so it is visibly watched. */
const GUARDRAIL_PROGRESS_EVERY_MS = 10_000;

/**
 * Runs one scenario on one target: preflight → load → data check → steady state → inject/hold/revert under
 * guardrails → recovery → verdict. Whatever happens, every fault it applied is reverted before it returns.
 */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  return new ScenarioRun(options).execute();
}

class ScenarioRun {
  private readonly abort = new AbortController();
  private readonly step: NonNullable<RunOptions['step']>;
  private readonly started = Date.now();
  private load?: RunningLoad;
  private loadSummary?: LoadSummary;
  private breach?: GuardrailBreach;
  /** The first SLO whose source could not be read: later ones are not asked (bounded-judging.ts). */
  private sourceDown?: SloResult;
  /** Ends the fault phase early: a guardrail breach, or one fault that failed to inject. */
  private readonly faultPhaseStop = new AbortController();
  /** The failover and failback runbooks' runs, filled in by the failover step. */
  private readonly failovers: FailoverRecord = {};
  /** The target's lease, from preflight until after the last revert. */
  private readonly lease = new LeaseSlot();
  private faults?: AppliedFaults;
  private stopGeneratorWatch?: () => void;

  constructor(private readonly o: RunOptions) {
    this.step = o.step ?? ((_title, body) => body());
  }

  async execute(): Promise<RunResult> {
    const { scenario, journal } = this.o;
    journal.append({
      type: 'run-start',
      runId: this.o.runId,
      scenario: scenario.name,
      topology: scenario.topology,
      target: this.o.driver.target,
      description: scenario.description,
      severity: scenario.severity,
    });
    let judged: Judged;
    try {
      judged = await this.runWithFaults();
    } finally {
      // Faults are already reverted here (disposed at the end of runWithFaults); the load generator goes last.
      this.stopGeneratorWatch?.();
      await this.stopLoad();
    }
    const { slos, windows } = judged;
    const verdict = this.finalVerdict(judged.verdict);
    const exitCode = EXIT_CODE_OF[verdict.outcome];
    journal.append({ type: 'verdict', outcome: verdict.outcome, exitCode, reason: verdict.reason });
    this.say(`${verdict.outcome.toUpperCase()}: ${verdict.reason}`);
    return { runId: this.o.runId, scenario: scenario.name, ...verdict, exitCode, slos, windows, load: this.loadSummary, journalPath: journal.path };
  }

  /** The timeline with its faults owned by `await using`: they are reverted on every path out of this block. */
  private async runWithFaults(): Promise<Judged> {
    // Declared first, disposed last: a second Ctrl-C during the reverts is still ours, not Node's default exit.
    using _interrupts = interruptOn(this.abort, {
      signal: this.o.signal,
      handleSignals: this.o.handleSignals ?? true,
      onSignal: (sig) => this.say(`${sig}: reverting every fault before exit`),
    });
    // Declared before the faults, so it is released only after every one of them is reverted.
    await using _lease = this.lease;
    await using faults = new AppliedFaults({
      driver: this.o.driver,
      ledger: this.o.ledger,
      journal: this.o.journal,
      runId: this.o.runId,
      scenario: this.o.scenario.name,
      ttlGrace: this.o.scenario.ttlGrace,
      say: (line) => this.say(line),
    });
    this.faults = faults;
    try {
      return await this.timeline(faults);
    } catch (error) {
      const verdict = verdictOfError(this.abort.signal.aborted ? this.abort.signal.reason : error);
      faults.disposeReason = revertReasonFor(verdict.outcome);
      return { verdict, slos: [] };
    }
  }

  private async timeline(faults: AppliedFaults): Promise<Judged> {
    const { scenario } = this.o;
    const signal = this.abort.signal;
    const warmupMs = parseDuration(scenario.timeline.warmup);
    const baselineMs = parseDuration(scenario.timeline.baseline);
    const recoveryMs = parseDuration(scenario.timeline.recovery);
    const activeRuns = this.o.driver.lease ? () => this.lease.activeRunIds() : undefined;
    const preflight = { scenario, topology: this.o.topology, driver: this.o.driver, judge: this.o.judge, ledger: this.o.ledger, journal: this.o.journal, load: this.o.load, failover: this.o.failover, activeRuns };

    // Before load starts, an SLI fed by load has no data by design; that is checked once load runs.
    await this.phase('preflight', 'Preflight: scenario, targets, queries', () =>
      runPreflight({ ...preflight, takeLease: () => this.takeLease() }, (p) => p.code !== 'FAULTLINE_NO_DATA'),
    );

    const loadStart = Date.now();
    await this.phase('load', `Load: k6 in ${Object.keys(scenario.load.regions).join(', ')}`, async () => {
      this.load = await this.o.load.start(scenario.load, { runId: this.o.runId, scenario: scenario.name, durationMs: loadDurationMs(scenario) });
      if (this.load.requests) this.o.journal.append({ type: 'request-stream', path: this.load.requests.path });
      this.watchLoad(this.load);
      this.watchGenerator();
      await sleep(warmupMs, signal);
    });

    await this.phase('preflight', 'Preflight: every SLI returns data under load', () => runPreflight(preflight));

    const baselineStart = Date.now();
    await this.phase('steady-state', `Steady state: ${formatDuration(baselineMs)} baseline`, () => sleep(baselineMs, signal));
    const faultStart = Date.now();
    const baseline = { start: baselineStart, end: faultStart };
    const steady = await this.judgeAll(
      scenario.slos.filter((s) => s.window === 'baseline'),
      { baseline, during: baseline, after: baseline, whole: baseline, faults: [] },
    );
    const unsteady = steady.filter((r) => !r.informational && r.verdict !== 'pass');
    if (unsteady.length) {
      const why = unsteady.map((r) => `${r.name}: ${r.reason}`).join('; ');
      return { verdict: { outcome: 'inconclusive', reason: `steady state not met before any fault (${why}); nothing was injected` }, slos: steady };
    }

    // The system's own DR automation is let loose (automatic failover) or held back (manual) for the fault phase only.
    const disarm = scenario.failover && this.o.failover?.arm ? await this.o.failover.arm(scenario.failover) : undefined;
    try {
      await this.phase('inject', `Faults: ${scenario.faults.map((f) => f.name).join(', ')}`, () => this.faultPhase(faults, faultStart));
    } finally {
      await disarm?.();
    }
    const ranges = faults.ranges();
    const lastRevert = Math.max(faultStart, ...ranges.map((f) => f.range.end));
    const firstInject = Math.min(lastRevert, ...ranges.map((f) => f.range.start));

    await this.phase('recovery', `Recovery: ${formatDuration(recoveryMs)} under load`, () => sleepUntil(lastRevert + recoveryMs, signal));
    this.stopGeneratorWatch?.();
    const end = Date.now();
    await this.stopLoad();

    const windows: RunWindows = {
      baseline,
      during: { start: firstInject, end: lastRevert },
      after: { start: lastRevert, end },
      whole: { start: loadStart, end },
      faults: ranges,
      ...this.failovers,
      ...(this.load?.requests ? { requestStream: this.load.requests.path } : {}),
    };
    this.o.journal.append({ type: 'windows', windows: { baseline, during: windows.during, after: windows.after, whole: windows.whole }, faults: ranges });

    return this.phase('verdict', 'Verdict: judge SLOs', async () => {
      const rest = await this.judgeAll(scenario.slos.filter((s) => s.window !== 'baseline'), windows);
      const slos = [...steady, ...rest];
      await this.recordSeries(windows.whole);
      return { verdict: verdictOf(slos, this.breach), slos, windows };
    });
  }

  /** Injects each fault at its offset, holds it, reverts it on schedule; a guardrail breach reverts everything. */
  private async faultPhase(faults: AppliedFaults, phaseStart: number): Promise<void> {
    const { scenario } = this.o;
    const phase = AbortSignal.any([this.abort.signal, this.faultPhaseStop.signal]);
    const lastEnd = phaseStart + faultPhaseMs(scenario);
    const lastSaid = new Map<string, number>();
    const watcher = watchGuardrails({
      guardrails: scenario.guardrails,
      judge: this.o.judge,
      requests: this.load?.requests?.windows,
      journal: this.o.journal,
      until: lastEnd,
      signal: phase,
      onReading: (g, value) => {
        if (Date.now() - (lastSaid.get(g.name) ?? 0) < GUARDRAIL_PROGRESS_EVERY_MS) return;
        lastSaid.set(g.name, Date.now());
        this.say(`guardrail ${g.name}: ${Math.round(value * 1000) / 1000} (aborts when ${g.comparator} ${g.threshold})`);
      },
      onBreach: (breach) => {
        this.breach = breach;
        this.say(`guardrail breach: ${breach.message}; reverting every fault now`);
        this.faultPhaseStop.abort(breach);
      },
    });
    const tasks = scenario.faults.map(async (plan) => {
      const start = phaseStart + parseDuration(plan.at);
      const end = start + parseDuration(plan.duration);
      await sleepUntil(start, phase);
      const fault = await faults.inject(plan);
      this.say(`holding ${plan.name} for ${formatDuration(end - Date.now())}`);
      await sleepUntil(end, phase);
      await fault.revert('schedule');
    });
    const plan = scenario.failover;
    if (plan && this.o.failover) {
      const context = { plan, driver: this.o.failover, journal: this.o.journal, faults, signal: phase, say: (line: string) => this.say(line) };
      const fault = (plan.trigger.mode === 'manual' ? plan.trigger.fault : undefined) ?? scenario.faults[0]!.name;
      tasks.push(runFailoverStep({ ...context, fault }, this.failovers));
    }
    // One fault (or runbook) failing ends the phase for all: holding the others would test a scenario nobody wrote.
    for (const task of tasks) task.catch((error: unknown) => this.faultPhaseStop.abort(error));
    const settled = await Promise.allSettled([...tasks, watcher]);
    if (this.breach) return faults.revertAll('guardrail');
    if (phase.aborted) throw phase.reason;
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** One experiment at a time per target: refused at preflight (exit 2) when another run holds it, unless allowed to share. */
  private async takeLease(): Promise<void> {
    const lease = this.o.driver.lease;
    if (!lease) return;
    const request = { runId: this.o.runId, scenario: this.o.scenario.name, allowConcurrent: this.o.allowConcurrent ?? false };
    await this.lease.acquire((r) => lease.call(this.o.driver, r), request, (other) => {
      this.o.journal.append({ type: 'concurrent-run', runId: other.runId, scenario: other.scenario });
      this.say(`run ${other.runId} (${other.scenario}) holds the same target at the same time: each may disturb the other's SLOs`);
    });
  }

  /** A failed revert outranks the run's own verdict; a run that shared its target says so. */
  private finalVerdict(verdict: RunVerdict): RunVerdict {
    const failed = this.faults?.failedReverts ?? [];
    const final = failed.length ? verdictOfFailedReverts(failed) : verdict;
    const others = [...this.lease.concurrentWith.keys()];
    if (others.length === 0) return final;
    return { ...final, reason: `${final.reason} (ran alongside ${others.join(', ')} on the same target: each may have disturbed the other's SLOs)` };
  }

  private async judgeAll(slos: Scenario['slos'], windows: RunWindows): Promise<SloResult[]> {
    const judged = await judgeBounded(this.o.judge, slos, windows, { ...this.readBudget(), down: this.sourceDown });
    this.sourceDown = judged.down;
    // The load delivered is part of the verdict: a pass in a window that did not get the load asked is not a pass.
    const requests = this.load?.requests?.windows;
    const results = requests ? judgeLoadDelivered(judged.results, slos, windows, (range) => loadDelivered(requests, this.o.scenario.load, range)) : judged.results;
    for (const result of results) {
      this.o.journal.append({ type: 'slo', result });
      this.say(`SLO ${(result.verdict.toUpperCase() + (result.informational ? ' (info)' : '')).padEnd(13)} ${result.name}: ${result.reason}`);
    }
    return results;
  }

  /** The guardrail on the load generator: one that cannot deliver the load asked ends the run early, inconclusive. */
  private watchGenerator(): void {
    const requests = this.load?.requests?.windows;
    if (!requests) return;
    const stop = watchGenerator(requests, this.o.scenario.load, (shortfall) => {
      this.say(`${shortfall.message}; ending the run`);
      this.o.journal.append({ type: 'log', level: 'warn', message: shortfall.message });
      if (!this.abort.signal.aborted) this.abort.abort(shortfall);
    });
    this.abort.signal.addEventListener('abort', stop, { once: true });
    this.stopGeneratorWatch = stop;
  }

  /** After a fail-closed stop every read is short: the run is inconclusive whatever it finds. */
  private readBudget(): { readDeadlineMs?: number } {
    return this.breach?.unreadable ? { readDeadlineMs: READ_DEADLINE_AFTER_FAIL_CLOSED_MS } : {};
  }

  private async recordSeries(range: TimeRange): Promise<void> {
    if (!this.o.judge.series || this.sourceDown) return;
    try {
      for (const s of await this.o.judge.series(this.o.scenario.slos, range, this.readBudget())) this.o.journal.append({ type: 'series', ...s });
    } catch (error) {
      this.o.journal.append({ type: 'log', level: 'warn', message: `could not read SLI series for the chart: ${(error as Error).message}` });
    }
  }

  private async stopLoad(): Promise<void> {
    if (!this.load || this.loadSummary) return;
    try {
      this.loadSummary = await this.load.stop();
      this.o.journal.append({ type: 'load-summary', summary: this.loadSummary });
    } catch (error) {
      this.o.journal.append({ type: 'log', level: 'error', message: `load generator did not stop cleanly: ${(error as Error).message}` });
    }
  }

  /** A load generator that dies mid-run would make every SLO inconclusive; end the run now and say why. */
  private watchLoad(load: RunningLoad): void {
    void load.done.then(
      (summary) => {
        if (!this.loadSummary && !this.abort.signal.aborted) {
          this.o.journal.append({ type: 'log', level: 'warn', message: `load generator ended early after ${formatDuration(summary.durationMs)}` });
        }
      },
      (error: unknown) => {
        if (!this.abort.signal.aborted) this.abort.abort(new FaultlineError('FAULTLINE_HARNESS', `load generator failed: ${(error as Error).message}`));
      },
    );
  }

  private async phase<T>(phase: Phase, title: string, body: () => Promise<T>): Promise<T> {
    this.o.journal.append({ type: 'phase', phase, status: 'start', detail: title });
    this.say(title);
    try {
      return await this.step(title, body);
    } finally {
      this.o.journal.append({ type: 'phase', phase, status: 'end', detail: title });
    }
  }

  private say(line: string): void {
    if (!this.o.progress) return;
    const elapsed = Math.round((Date.now() - this.started) / 1000);
    this.o.progress(`[${this.o.scenario.name} +${String(elapsed).padStart(3)}s] ${line}`);
  }
}

/** Just the hooks of a wider options object, to pass on to runScenario. */
export function hooksOf(o: RunHooks): RunHooks {
  return { step: o.step, signal: o.signal, progress: o.progress, handleSignals: o.handleSignals, allowConcurrent: o.allowConcurrent };
}
