import { combineExitCodes, type JournalEntry, type RunOutcome, type Severity, type SloKind, type SloWindow, type Verdict } from '../core/index.ts';
import { failureMessage } from './failure-message.ts';
import { formatValue } from './format.ts';
import { formatScore, scoreGameDays, type GameDayScore, type TopologyScore } from './resilience-score.ts';
import { viewRun } from './run-view.ts';
import { verdictMark } from './slo-table.ts';

export interface SloVerdict {
  name: string;
  kind: SloKind;
  window: SloWindow;
  verdict: Verdict;
  informational: boolean;
  severity: Severity;
  /** In `unit`; absent when there was no data. */
  observed?: number;
  unit: string;
  /** `observed` as people read it, e.g. `99.2%`, `1.84 s`, `no data`. */
  observedText: string;
  objective: string;
  reason: string;
}

export interface RunVerdict {
  scenario: string;
  topology: string;
  target: string;
  runId: string;
  outcome: RunOutcome;
  exitCode: number;
  reason: string;
  /** The categorised failure message (`SLO breach: …`); absent when the run passed. */
  failure?: string;
  /** Failing first, then inconclusive, then passing; informational ones last. */
  slos: SloVerdict[];
  /** The game day's resilience score (0..100, or null when not scored) and how it was reached. */
  resilience: Omit<GameDayScore, 'scenario' | 'topology' | 'runId' | 'outcome'>;
}

/** The verdict of several game days: what `faultline report --journal … --json` prints. */
export interface VerdictTable {
  /** The outcome of the run that decides the exit code. */
  outcome: RunOutcome;
  /** Combined as core's `combineExitCodes` does, so this table and the run command always agree. */
  exitCode: number;
  counts: Record<RunOutcome, number>;
  /** Most decisive first, in the order of `combineExitCodes`; passes last. */
  runs: RunVerdict[];
  /** Each topology's resilience score over the game days in this table, weighted by their severity. */
  resilience: TopologyScore[];
}

/** In the order of `combineExitCodes`: the most decisive first. */
const OUTCOMES: RunOutcome[] = ['error', 'interrupted', 'refused', 'failed', 'aborted', 'inconclusive', 'passed'];
const VERDICT_RANK: Record<Verdict, number> = { fail: 0, inconclusive: 1, pass: 2 };

export function verdictTable(journals: readonly (readonly JournalEntry[])[]): VerdictTable {
  const views = journals.map((entries) => viewRun(entries));
  const scores = scoreGameDays(views);
  const runs: RunVerdict[] = journals.map((entries, i) => {
    const run = views[i]!;
    const { scenario: _s, topology: _t, runId: _r, outcome: _o, ...resilience } = scores.gameDays[i]!;
    const failure = failureMessage(entries);
    return {
      scenario: run.scenario,
      topology: run.topology,
      target: run.target,
      runId: run.runId,
      outcome: run.outcome,
      exitCode: run.exitCode,
      reason: run.reason,
      ...(failure !== undefined && { failure }),
      slos: [...run.slos]
        .sort((a, b) => Number(a.informational) - Number(b.informational) || VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict])
        .map((s) => ({
          name: s.name,
          kind: s.kind,
          window: s.window,
          verdict: s.verdict,
          informational: s.informational,
          severity: s.severity,
          ...(s.observed !== undefined && { observed: s.observed }),
          unit: s.unit,
          observedText: formatValue(s.observed, s.unit),
          objective: s.objective,
          reason: s.reason,
        })),
      resilience,
    };
  });
  // combineExitCodes picks the more decisive of two codes, which is exactly a sort order.
  runs.sort((a, b) => (a.exitCode === b.exitCode ? 0 : combineExitCodes([a.exitCode, b.exitCode]) === a.exitCode ? -1 : 1));
  const exitCode = combineExitCodes(runs.map((r) => r.exitCode));
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, runs.filter((r) => r.outcome === o).length])) as Record<RunOutcome, number>;
  return { outcome: runs.find((r) => r.exitCode === exitCode)?.outcome ?? 'passed', exitCode, counts, runs, resilience: scores.topologies };
}

const RUN_MARK: Record<RunOutcome, string> = {
  passed: '✓ PASSED',
  failed: '✗ FAILED',
  aborted: '✗ ABORTED',
  interrupted: '✗ INTERRUPTED',
  inconclusive: '? INCONCLUSIVE',
  refused: '✗ REFUSED',
  error: '✗ ERROR',
};

/** Plain text for a terminal or a CI log: failing runs first, and in each run its failing SLOs first. */
export function formatVerdictTable(table: VerdictTable): string {
  const tally = OUTCOMES.filter((o) => table.counts[o] > 0)
    .map((o) => `${table.counts[o]} ${o}`)
    .join(', ');
  const out = [
    `faultline verdict: ${RUN_MARK[table.outcome]} (exit ${table.exitCode}), ${table.runs.length} game day${table.runs.length === 1 ? '' : 's'}: ${tally || 'none'}`,
  ];
  for (const run of table.runs) {
    out.push('', `${RUN_MARK[run.outcome]}  ${run.scenario}   (${run.topology} on ${run.target}, run ${run.runId})`);
    out.push(`  ${run.failure ?? run.reason}`);
    out.push(`  resilience score ${formatScore(run.resilience.score)}: ${run.resilience.note}`);
    if (!run.slos.length) continue;
    const rows = run.slos.map((s) => [
      `${s.verdict === 'fail' && !s.informational ? '✗ ' : s.verdict === 'inconclusive' && !s.informational ? '? ' : '  '}${verdictMark(s)}`,
      s.name,
      s.window,
      s.observedText,
      s.objective,
      s.verdict === 'pass' ? '' : s.reason,
    ]);
    const header = ['  verdict', 'SLO', 'window', 'observed', 'objective', 'why'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
    out.push(line(header), ...rows.map(line));
  }
  if (table.resilience.length) {
    out.push('', 'resilience score by topology (weighted by game-day severity; see reports/resilience-score.ts):');
    for (const t of table.resilience) {
      const unscored = t.notScored ? `, ${t.notScored} not scored (counted 0)` : '';
      out.push(`  ${t.topology.padEnd(Math.max(...table.resilience.map((x) => x.topology.length)))}  ${formatScore(t.score)}  (${t.gameDays} game day${t.gameDays === 1 ? '' : 's'}${unscored})`);
    }
  }
  return out.join('\n') + '\n';
}
