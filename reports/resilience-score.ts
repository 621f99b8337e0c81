import type { RunOutcome, Severity } from '../core/index.ts';
import type { RunView } from './run-view.ts';

/**
 * The resilience score: how much of what a game day set out to demonstrate it did demonstrate, from 0 to 100.
 *
 *   game day   score = 100 × Σ w(s) over gating SLOs that passed ÷ Σ w(s) over every gating SLO, rounded DOWN to 0.1
 *   topology   score = Σ W(g) × score(g) ÷ Σ W(g) over its game days in the table, rounded down to 0.1
 *
 * where w is the SLO's severity weight and W the game day's (scenario) severity weight: blocker 16, critical 8,
 * normal 4, minor 2, trivial 1. The rules that keep it honest:
 * - an informational SLO is left out of both sums: it can neither raise nor lower the score;
 * - an inconclusive SLO is in the denominator and earns nothing: no data never counts as a pass;
 * - a failed SLO earns nothing; rounding down means any failure or inconclusive SLO keeps the score below 100;
 * - a guardrail abort scores 0: the system crossed the line the run was not allowed to cross;
 * - a run that never reached its verdict (refused, harness error, interrupted, a journal cut short) and a game day
 *   with no gating SLO are "not scored" (null), and count 0 toward their topology: what was not demonstrated earns
 *   nothing, so a broken harness can never make a topology look more resilient.
 * Earned ≤ possible by construction, so no score exceeds 100.
 */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { blocker: 16, critical: 8, normal: 4, minor: 2, trivial: 1 };

export interface GameDayScore {
  scenario: string;
  topology: string;
  runId: string;
  outcome: RunOutcome;
  /** 0..100, or null when the game day was not scored (see `note`). */
  score: number | null;
  /** Σ weights of gating SLOs that passed, and of every gating SLO. */
  earned: number;
  possible: number;
  /** Gating SLOs by verdict, and the informational ones left out. */
  counts: { pass: number; fail: number; inconclusive: number; informational: number };
  /** The weight of this game day in its topology's score (its scenario severity). */
  weight: number;
  /** Why the score is what it is, in a sentence. */
  note: string;
}

export interface TopologyScore {
  topology: string;
  /** 0..100, or null when no game day of the topology was in the table. */
  score: number | null;
  gameDays: number;
  /** Game days counted as 0 because they were not scored. */
  notScored: number;
}

const NOT_RUN: ReadonlySet<RunOutcome> = new Set(['refused', 'error', 'interrupted']);

/** One game day's score, from its run view (journal) alone. */
export function scoreGameDay(run: RunView): GameDayScore {
  const gating = run.slos.filter((s) => !s.informational);
  const counts = {
    pass: gating.filter((s) => s.verdict === 'pass').length,
    fail: gating.filter((s) => s.verdict === 'fail').length,
    inconclusive: gating.filter((s) => s.verdict === 'inconclusive').length,
    informational: run.slos.length - gating.length,
  };
  const possible = gating.reduce((sum, s) => sum + SEVERITY_WEIGHT[s.severity], 0);
  const earned = gating.filter((s) => s.verdict === 'pass').reduce((sum, s) => sum + SEVERITY_WEIGHT[s.severity], 0);
  const base = { scenario: run.scenario, topology: run.topology, runId: run.runId, outcome: run.outcome, earned, possible, counts, weight: SEVERITY_WEIGHT[run.severity ?? 'critical'] };
  if (!run.finished || NOT_RUN.has(run.outcome)) {
    return { ...base, earned: 0, score: null, note: `not scored: the run ended ${run.finished ? run.outcome : 'without a verdict'}, so nothing was demonstrated (counts 0 for its topology)` };
  }
  if (run.outcome === 'aborted') {
    return { ...base, earned: 0, score: 0, note: 'a guardrail aborted the run: 0, whatever the SLOs judged before it' };
  }
  if (possible === 0) {
    return { ...base, score: null, note: 'not scored: no gating SLO (informational ones never count); counts 0 for its topology' };
  }
  // Anything short of every gating SLO passing stays below 100, whatever the rounding.
  const score = earned < possible ? Math.min(99.9, floorTenth((100 * earned) / possible)) : 100;
  const parts = [`${counts.pass} of ${gating.length} gating SLOs passed (weight ${earned}/${possible})`];
  if (counts.inconclusive) parts.push(`${counts.inconclusive} inconclusive earn nothing`);
  if (counts.informational) parts.push(`${counts.informational} informational left out`);
  return { ...base, score, note: parts.join('; ') };
}

/** Every game day's score, and each topology's, weighted by scenario severity; in topology order of appearance. */
export function scoreGameDays(runs: readonly RunView[]): { gameDays: GameDayScore[]; topologies: TopologyScore[] } {
  const gameDays = runs.map(scoreGameDay);
  const names = [...new Set(gameDays.map((g) => g.topology))];
  const topologies = names.map((topology) => {
    const days = gameDays.filter((g) => g.topology === topology);
    const weight = days.reduce((sum, g) => sum + g.weight, 0);
    const total = days.reduce((sum, g) => sum + g.weight * (g.score ?? 0), 0);
    return { topology, score: weight ? floorTenth(total / weight) : null, gameDays: days.length, notScored: days.filter((g) => g.score === null).length };
  });
  return { gameDays, topologies };
}

/** `87.5`, `not scored`. */
export function formatScore(score: number | null): string {
  return score === null ? 'not scored' : `${score.toFixed(1)}/100`;
}

/** Rounds down to one decimal, with a tolerance for binary fractions (100 × 7/7 must stay 100, not 99.9). */
function floorTenth(value: number): number {
  return Math.floor(value * 10 + 1e-9) / 10;
}
