import { sleep, sleepUntil } from './abortable-sleep.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { FaultlineError, PreflightError, isFaultlineError } from './errors.ts';
import { ExitCode, INTERRUPTED_EXIT_CODE } from './exit-codes.ts';
import { describeFault, type FaultPlan } from './fault.ts';
import type { FaultDriver, PreparedFault } from './fault-driver.ts';
import { watchGuardrails, GuardrailBreach } from './guardrail-watch.ts';
import type { Journal, Phase, RunOutcome } from './journal.ts';
import type { Ledger, LedgerEntry } from './ledger.ts';
import type { LoadRunner, LoadSummary, RunningLoad } from './load-runner.ts';
import type { RunResult } from './run-result.ts';
import type { Scenario } from './scenario.ts';
import type { SloResult, TimeRange } from './slo.ts';
import type { RunWindows, SloJudge } from './slo-judge.ts';
import type { Topology } from './topology.ts';
import { validateScenario } from './validate-scenario.ts';

export interface RunOptions {
  scenario: Scenario;
  topology: Topology;
  driver: FaultDriver;
  load: LoadRunner;
  judge: SloJudge;
  ledger: Ledger;
  journal: Journal;
  runId: string;
  /** Wraps each phase. The Playwright fixture passes `test.step`, so each phase is a step in the report. */
  step?: <T>(title: string, body: () => Promise<T>) => Promise<T>;
  /** Aborting it ends the run early; every applied fault is still reverted. */
  signal?: AbortSignal;
  /** Progress lines for humans watching a long run. Default: none. */
  progress?: (line: string) => void;
  /** Revert and stop on SIGINT/SIGTERM. Default true; the Playwright fixture turns it off (Playwright owns signals). */
  handleSignals?: boolean;
  /** Time to let the last samples reach Prometheus before judging. Default 3 s (1 s push + 1 s scrape + margin). */
  settleMs?: number;
}

/** How a caller observes and controls a run, whichever target it runs on. */
export type RunHooks = Pick<RunOptions, 'step' | 'signal' | 'progress' | 'handleSignals'>;

/** Thrown into the run when a signal or the caller's AbortSignal ends it. */
class Interrupted extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

interface ActiveFault {
  plan: FaultPlan;
  entry: LedgerEntry;
  applying: Promise<void>;
  injectedAt: number;
  reverting?: Promise<void>;
}

/**
 * Runs one scenario on one target: preflight → load → data check → steady state → inject/hold/revert under
 * guardrails → recovery → verdict. Whatever happens, every fault it applied is reverted before it returns.
 */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  return new ScenarioRun(options).execute();
}

class ScenarioRun {
  private readonly active = new Map<string, ActiveFault>();
  private readonly faultRanges = new Map<string, TimeRange>();
  private readonly abort = new AbortController();
  private readonly step: NonNullable<RunOptions['step']>;
  private readonly started = Date.now();
  private load?: RunningLoad;
  private loadSummary?: LoadSummary;
  private breach?: GuardrailBreach;
  private readonly lastReadingSaid = new Map<string, number>();

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
    const detach = this.attachAbortSources();
    let outcome: RunOutcome = 'error';
    let reason = '';
    let slos: SloResult[] = [];
    let windows: RunWindows | undefined;
    try {
      ({ outcome, reason, slos, windows } = await this.timeline());
    } catch (error) {
      ({ outcome, reason } = this.classify(error));
    } finally {
      await this.revertAll(outcome === 'aborted' ? 'signal' : 'error');
      if (this.load && !this.loadSummary) await this.stopLoad();
      detach();
    }
    const exitCode = exitCodeFor(outcome, reason);
    journal.append({ type: 'verdict', outcome, exitCode, reason });
    this.say(`${outcome.toUpperCase()}: ${reason}`);
    return {
      runId: this.o.runId,
      scenario: scenario.name,
      outcome,
      exitCode,
      reason,
      slos,
      windows,
      load: this.loadSummary,
      journalPath: journal.path,
    };
  }

  private async timeline(): Promise<{ outcome: RunOutcome; reason: string; slos: SloResult[]; windows?: RunWindows }> {
    const { scenario } = this.o;
    const signal = this.abort.signal;
    const warmupMs = parseDuration(scenario.timeline.warmup);
    const baselineMs = parseDuration(scenario.timeline.baseline);
    const recoveryMs = parseDuration(scenario.timeline.recovery);
    const faultPhaseMs = Math.max(0, ...scenario.faults.map((f) => parseDuration(f.at) + parseDuration(f.duration)));
    const settleMs = this.o.settleMs ?? 3_000;

    await this.phase('preflight', 'Preflight: scenario, targets, queries', () => this.preflight((p) => p.code !== 'FAULTLINE_NO_DATA'));

    const loadStart = Date.now();
    await this.phase('load', `Load: k6 in ${Object.keys(scenario.load.regions).join(', ')}`, async () => {
      // k6 runs past the timeline so it never stops before recovery ends; the engine stops it explicitly.
      const durationMs = warmupMs + baselineMs + faultPhaseMs + recoveryMs + 60_000;
      this.load = await this.o.load.start(scenario.load, { runId: this.o.runId, scenario: scenario.name, durationMs });
      await sleep(warmupMs, signal);
    });
    this.assertLoadAlive();

    await this.phase('preflight', 'Preflight: every SLI returns data under load', () => this.preflight(() => true));

    const baselineStart = Date.now();
    await this.phase('steady-state', `Steady state: ${formatDuration(baselineMs)} baseline`, () => sleep(baselineMs, signal));
    const faultStart = Date.now();
    const baselineRange = { start: baselineStart, end: faultStart };
    const steady = await this.judgeWindow('baseline', { baseline: baselineRange });
    const unsteady = steady.filter((r) => !r.informational && r.verdict !== 'pass');
    if (unsteady.length) {
      return {
        outcome: 'inconclusive',
        reason: `steady state not met before any fault (${unsteady.map((r) => `${r.name}: ${r.reason}`).join('; ')}); nothing was injected`,
        slos: steady,
      };
    }

    await this.phase('inject', `Faults: ${scenario.faults.map((f) => f.name).join(', ')}`, () => this.faultPhase(faultStart));
    const lastRevert = Math.max(faultStart, ...[...this.faultRanges.values()].map((r) => r.end));
    const firstInject = Math.min(lastRevert, ...[...this.faultRanges.values()].map((r) => r.start));

    await this.phase('recovery', `Recovery: ${formatDuration(recoveryMs)} under load`, () => sleepUntil(lastRevert + recoveryMs, signal));
    const end = Date.now();
    await this.stopLoad();
    await sleep(settleMs, signal);

    const windows: RunWindows = {
      baseline: baselineRange,
      during: { start: firstInject, end: lastRevert },
      after: { start: lastRevert, end },
      whole: { start: loadStart, end },
      faults: [...this.faultRanges].map(([name, range]) => ({ name, range })),
    };
    this.o.journal.append({
      type: 'windows',
      windows: { baseline: windows.baseline, during: windows.during, after: windows.after, whole: windows.whole },
      faults: windows.faults,
    });

    return this.phase('verdict', 'Verdict: judge SLOs', async () => {
      const rest = await this.judgeAll(scenario.slos.filter((s) => s.window !== 'baseline'), windows);
      const slos = [...steady, ...rest];
      await this.recordSeries(windows.whole);
      return { ...verdictOf(slos, this.breach), slos, windows };
    });
  }

  private async preflight(keep: (problem: FaultlineError) => boolean): Promise<void> {
    const { scenario, topology, driver, judge, ledger } = this.o;
    const problems: FaultlineError[] = [...validateScenario(scenario, topology)];
    if (problems.length === 0) {
      for (const plan of scenario.faults) problems.push(...(await driver.check(plan)));
    }
    const leftovers = ledger.list();
    if (leftovers.length) {
      problems.push(
        new FaultlineError(
          'FAULTLINE_BAD_INPUT',
          `the ledger still lists ${leftovers.length} fault(s) from an earlier run (${leftovers.map((e) => `${e.fault} of ${e.runId}`).join(', ')})`,
          'run `faultline cleanup` to revert them, then start again',
        ),
      );
    }
    // A scenario with bad names would only earn a second, noisier message per SLO from the judge.
    if (problems.length === 0) problems.push(...(await judge.check(scenario.slos, scenario.guardrails)));
    const kept = problems.filter(keep);
    this.o.journal.append({ type: 'preflight', ok: kept.length === 0, problems: kept.map((p) => ({ code: p.code, message: p.message })) });
    if (kept.length) throw new PreflightError(kept);
  }

  /** Injects each fault at its offset, holds it, reverts it on schedule; a guardrail breach reverts everything. */
  private async faultPhase(phaseStart: number): Promise<void> {
    const { scenario } = this.o;
    const phase = new AbortController();
    const onOuterAbort = () => phase.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', onOuterAbort, { once: true });
    const lastEnd = Math.max(
      phaseStart,
      ...scenario.faults.map((f) => phaseStart + parseDuration(f.at) + parseDuration(f.duration)),
    );
    const watcher = watchGuardrails({
      guardrails: scenario.guardrails,
      judge: this.o.judge,
      journal: this.o.journal,
      until: lastEnd,
      signal: phase.signal,
      onReading: (g, value) => {
        // A long hold is otherwise silent; one line per guardrail every 10 s shows it is watched.
        const last = this.lastReadingSaid.get(g.name) ?? 0;
        if (Date.now() - last < 10_000) return;
        this.lastReadingSaid.set(g.name, Date.now());
        this.say(`guardrail ${g.name}: ${Math.round(value * 1000) / 1000} (aborts when ${g.comparator} ${g.threshold})`);
      },
      onBreach: (breach) => {
        this.breach = breach;
        this.say(`guardrail breach: ${breach.message}; reverting every fault now`);
        phase.abort(breach);
      },
    });
    const tasks = scenario.faults.map(async (plan) => {
      const start = phaseStart + parseDuration(plan.at);
      const end = start + parseDuration(plan.duration);
      await sleepUntil(start, phase.signal);
      await this.inject(plan);
      this.say(`holding ${plan.name} for ${formatDuration(end - Date.now())}`);
      await sleepUntil(end, phase.signal);
      await this.revert(plan.name, 'schedule');
    });
    // One fault failing to inject ends the phase for all: holding the others would test a scenario nobody wrote.
    for (const task of tasks) task.catch((error: unknown) => phase.abort(error));
    const settled = await Promise.allSettled([...tasks, watcher]);
    this.abort.signal.removeEventListener('abort', onOuterAbort);
    if (this.breach) {
      await this.revertAll('guardrail');
      return;
    }
    if (phase.signal.aborted) throw phase.signal.reason;
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private async inject(plan: FaultPlan): Promise<void> {
    const { driver, ledger, journal, scenario, runId } = this.o;
    const ttlMs = parseDuration(plan.duration) + parseDuration(scenario.ttlGrace ?? '30s');
    const t0 = Date.now();
    const prepared: PreparedFault = await driver.prepare(plan, { runId, scenario: scenario.name, ttlMs });
    const entry: LedgerEntry = {
      id: `${runId}-${plan.name}`,
      runId,
      scenario: scenario.name,
      target: driver.target,
      fault: plan.name,
      spec: plan.spec,
      createdAt: Date.now(),
      expiresAt: Date.now() + ttlMs,
      revert: prepared.revert,
    };
    // The ledger learns how to undo the fault before the fault exists.
    ledger.record(entry);
    const applying = prepared.apply();
    const active: ActiveFault = { plan, entry, applying, injectedAt: t0 };
    this.active.set(plan.name, active);
    try {
      await applying;
    } catch (error) {
      await this.revert(plan.name, 'error');
      throw new FaultlineError('FAULTLINE_INJECTION_FAILED', `injecting ${describeFault(plan.spec)} failed: ${(error as Error).message}`, undefined, { cause: error });
    }
    active.injectedAt = Date.now();
    const latencyMs = active.injectedAt - t0;
    journal.append({ type: 'inject', fault: plan.name, spec: plan.spec, description: describeFault(plan.spec), detail: prepared.detail, latencyMs });
    this.say(`injected ${describeFault(plan.spec)} in ${latencyMs} ms`);
  }

  private revert(name: string, reason: 'schedule' | 'guardrail' | 'signal' | 'error'): Promise<void> {
    const active = this.active.get(name);
    if (!active) return Promise.resolve();
    active.reverting ??= (async () => {
      // An apply still in flight must land before its revert, or the revert would run first and be undone.
      await active.applying.catch(() => undefined);
      const t0 = Date.now();
      try {
        await this.o.ledger.revert(active.entry, this.o.driver.revertHandlers);
        this.o.journal.append({ type: 'revert', fault: name, reason, ok: true, latencyMs: Date.now() - t0 });
        this.say(`reverted ${name} (${reason}) in ${Date.now() - t0} ms`);
      } catch (error) {
        this.o.journal.append({ type: 'revert', fault: name, reason, ok: false, latencyMs: Date.now() - t0, error: (error as Error).message });
        this.say(`REVERT FAILED for ${name}: ${(error as Error).message}; the watchdog reverts it when its TTL passes, or run faultline cleanup`);
      } finally {
        this.faultRanges.set(name, { start: active.injectedAt, end: Date.now() });
        this.active.delete(name);
      }
    })();
    return active.reverting;
  }

  private async revertAll(reason: 'guardrail' | 'signal' | 'error'): Promise<void> {
    await Promise.all([...this.active.keys()].map((name) => this.revert(name, reason)));
  }

  private async judgeWindow(window: 'baseline', ranges: Pick<RunWindows, 'baseline'>): Promise<SloResult[]> {
    const slos = this.o.scenario.slos.filter((s) => s.window === window);
    const windows: RunWindows = { ...ranges, during: ranges.baseline, after: ranges.baseline, whole: ranges.baseline, faults: [] };
    await sleep(this.o.settleMs ?? 3_000, this.abort.signal);
    return this.judgeAll(slos, windows);
  }

  private async judgeAll(slos: Scenario['slos'], windows: RunWindows): Promise<SloResult[]> {
    const results: SloResult[] = [];
    for (const slo of slos) {
      const result = await this.o.judge.judge(slo, windows);
      this.o.journal.append({ type: 'slo', result });
      this.say(`SLO ${(result.verdict.toUpperCase() + (result.informational ? ' (info)' : '')).padEnd(13)} ${result.name}: ${result.reason}`);
      results.push(result);
    }
    return results;
  }

  private async recordSeries(range: TimeRange): Promise<void> {
    if (!this.o.judge.series) return;
    try {
      for (const s of await this.o.judge.series(this.o.scenario.slos, range)) this.o.journal.append({ type: 'series', ...s });
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

  /** A load generator that died during warmup would make every SLO inconclusive; say so now instead. */
  private assertLoadAlive(): void {
    const load = this.load;
    if (!load) return;
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

  private classify(error: unknown): { outcome: RunOutcome; reason: string } {
    const cause = this.abort.signal.aborted ? this.abort.signal.reason : error;
    if (cause instanceof Interrupted) return { outcome: 'aborted', reason: `interrupted (${cause.why}); every fault was reverted` };
    if (isFaultlineError(cause) && cause.isPreflight) return { outcome: 'refused', reason: cause.message };
    if (isFaultlineError(cause)) return { outcome: 'error', reason: `[${cause.code}] ${cause.message}` };
    return { outcome: 'error', reason: `harness error: ${(cause as Error)?.stack ?? String(cause)}` };
  }

  private attachAbortSources(): () => void {
    const external = this.o.signal;
    const onExternal = () => this.abort.abort(new Interrupted(String(external?.reason ?? 'aborted by caller')));
    external?.addEventListener('abort', onExternal, { once: true });
    if (external?.aborted) onExternal();
    const onSignal = (sig: NodeJS.Signals) => {
      this.say(`${sig}: reverting every fault before exit`);
      this.abort.abort(new Interrupted(sig));
    };
    const handle = this.o.handleSignals ?? true;
    if (handle) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    return () => {
      external?.removeEventListener('abort', onExternal);
      if (handle) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    };
  }

  private say(line: string): void {
    if (!this.o.progress) return;
    const elapsed = Math.round((Date.now() - this.started) / 1000);
    this.o.progress(`[${this.o.scenario.name} +${String(elapsed).padStart(3)}s] ${line}`);
  }
}

function verdictOf(slos: SloResult[], breach?: GuardrailBreach): { outcome: RunOutcome; reason: string } {
  const gating = slos.filter((s) => !s.informational);
  const failed = gating.filter((s) => s.verdict === 'fail');
  const inconclusive = gating.filter((s) => s.verdict === 'inconclusive');
  if (breach?.unreadable) return { outcome: 'inconclusive', reason: `${breach.message}; failed closed: every fault reverted early` };
  if (breach) return { outcome: 'aborted', reason: `guardrail "${breach.guardrail}" breached (${breach.message}); faults reverted early` };
  if (failed.length) return { outcome: 'failed', reason: `SLO failed: ${failed.map((s) => `${s.name} (${s.reason})`).join('; ')}` };
  if (inconclusive.length) return { outcome: 'inconclusive', reason: `could not judge: ${inconclusive.map((s) => `${s.name} (${s.reason})`).join('; ')}` };
  return { outcome: 'passed', reason: `all ${gating.length} SLOs passed` };
}

function exitCodeFor(outcome: RunOutcome, reason: string): number {
  switch (outcome) {
    case 'passed':
      return ExitCode.ok;
    case 'failed':
      return ExitCode.sloFailed;
    case 'aborted':
      return reason.startsWith('interrupted') ? INTERRUPTED_EXIT_CODE : ExitCode.guardrailAbort;
    case 'inconclusive':
      return ExitCode.inconclusive;
    case 'refused':
      return ExitCode.preflight;
    case 'error':
      return ExitCode.harnessError;
  }
}

/** Just the hooks of a wider options object, to pass on to runScenario. */
export function hooksOf(o: RunHooks): RunHooks {
  return { step: o.step, signal: o.signal, progress: o.progress, handleSignals: o.handleSignals };
}
