import {
  ExitCode,
  FaultlineError,
  eventsOf,
  type FaultKind,
  type JournalEntry,
  type LoadSummary,
  type RunOutcome,
  type Severity,
  type SloResult,
} from '../core/index.ts';

/** A fault's shaded span on the chart: when it was actually in effect. */
export interface FaultWindow {
  name: string;
  kind?: FaultKind;
  description?: string;
  start: number;
  end: number;
  /** False when the journal has no successful revert for it: the report must say so, loudly. */
  reverted: boolean;
}

export interface GuardrailBreach {
  name: string;
  t: number;
  value: number | null;
  threshold: number;
  /** Set when the guardrail could not be evaluated: the engine fails closed and aborts on that too. */
  error?: string;
}

export interface SliSeries {
  name: string;
  unit: string;
  points: [number, number][];
}

/** One run, digested from its journal: what every renderer in reports/ works from. */
export interface RunView {
  runId: string;
  scenario: string;
  topology: string;
  target: string;
  description?: string;
  /** Only when the engine recorded one on run-start; see `allureLabels` for the fallback. */
  severity?: Severity;
  /** Epoch ms of run-start: every chart and table offset counts from here. */
  start: number;
  /** Epoch ms of the last thing the journal saw (entry or series sample). */
  end: number;
  outcome: RunOutcome;
  exitCode: number;
  reason: string;
  /** False when the journal stops without a verdict: the run was cut short (crash, SIGKILL). */
  finished: boolean;
  slos: SloResult[];
  load?: LoadSummary;
  series: SliSeries[];
  faults: FaultWindow[];
  faultKinds: FaultKind[];
  guardrailBreaches: GuardrailBreach[];
  preflightProblems: { code: string; message: string }[];
}

export function viewRun(entries: readonly JournalEntry[]): RunView {
  const runStart = eventsOf(entries, 'run-start')[0];
  if (!runStart) {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      `the journal has no run-start event (${entries.length} entries), so it cannot be reported`,
      'pass the JSON-lines journal a faultline run wrote (one object per line, the first with "type":"run-start")',
    );
  }
  const verdict = eventsOf(entries, 'verdict').at(-1);
  const series = eventsOf(entries, 'series').map(({ name, unit, points }) => ({ name, unit, points }));
  const lastSample = Math.max(...series.flatMap((s) => s.points.map((p) => p[0])), -Infinity);
  const end = Math.max(entries.at(-1)!.t, lastSample);
  const injects = eventsOf(entries, 'inject');
  const runStartSeverity = (runStart as { severity?: Severity }).severity;
  return {
    runId: runStart.runId,
    scenario: runStart.scenario,
    topology: runStart.topology,
    target: runStart.target,
    ...(runStart.description !== undefined && { description: runStart.description }),
    ...(runStartSeverity !== undefined && { severity: runStartSeverity }),
    start: runStart.t,
    end,
    outcome: verdict?.outcome ?? 'error',
    exitCode: verdict?.exitCode ?? ExitCode.harnessError,
    reason:
      verdict?.reason ??
      'the journal ends without a verdict: the run was interrupted before it finished (run `faultline cleanup` if faults may be left behind)',
    finished: verdict !== undefined,
    slos: eventsOf(entries, 'slo').map((e) => e.result),
    ...(eventsOf(entries, 'load-summary').at(-1) && { load: eventsOf(entries, 'load-summary').at(-1)!.summary }),
    series,
    faults: faultWindows(entries, end),
    faultKinds: [...new Set(injects.map((e) => e.spec.kind))],
    guardrailBreaches: eventsOf(entries, 'guardrail')
      .filter((g) => g.breached || g.error !== undefined)
      .map((g) => ({
        name: g.name,
        t: g.t,
        value: g.value,
        threshold: g.threshold,
        ...(g.error !== undefined && { error: g.error }),
      })),
    preflightProblems: eventsOf(entries, 'preflight').flatMap((p) => p.problems),
  };
}

/**
 * The engine's `windows` event holds each fault's actual applied interval; before it is written (or when the run
 * died first) the inject/revert pairs are the best record, and an inject with no successful revert is drawn to the
 * end of the journal and flagged.
 */
function faultWindows(entries: readonly JournalEntry[], end: number): FaultWindow[] {
  const injects = eventsOf(entries, 'inject');
  const reverts = eventsOf(entries, 'revert');
  const windows = eventsOf(entries, 'windows').at(-1);
  const revertedOk = (name: string, after: number) => reverts.find((r) => r.fault === name && r.ok && r.t >= after);
  if (windows) {
    return windows.faults.map(({ name, range }) => {
      const inject = injects.find((i) => i.fault === name);
      return {
        name,
        ...(inject && { kind: inject.spec.kind, description: inject.description }),
        start: range.start,
        end: range.end,
        reverted: revertedOk(name, range.start) !== undefined,
      };
    });
  }
  return injects.map((inject) => {
    const revert = revertedOk(inject.fault, inject.t);
    return {
      name: inject.fault,
      kind: inject.spec.kind,
      description: inject.description,
      start: inject.t,
      end: revert?.t ?? end,
      reverted: revert !== undefined,
    };
  });
}
