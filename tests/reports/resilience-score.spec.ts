import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunOutcome, Severity, SloResult, Verdict } from '../../core/index.ts';
import { extendScoreTrend, formatVerdictTable, scoreGameDay, scoreGameDays, verdictTable, writeAllureResults, writeScores, type TrendPoint } from '../../reports/index.ts';
import type { RunView } from '../../reports/run-view.ts';
import { prng } from '../experiments/mutate.ts';
import { SAMPLE_RUNS } from './sample-journals.ts';

/*
 * The resilience score's honesty rules (reports/resilience-score.ts), edge by edge: never above 100, a failure never
 * counts as a pass, inconclusive and informational SLOs never raise it, and what did not run is not scored.
 */

const SEVERITIES: Severity[] = ['blocker', 'critical', 'normal', 'minor', 'trivial'];

function slo(verdict: Verdict, severity: Severity = 'critical', informational = false, name = `${verdict}-${severity}-${Math.random()}`): SloResult {
  return { name, kind: 'availability', window: 'during', range: { start: 0, end: 1 }, verdict, informational, severity, objective: '≥ 99%', unit: 'ratio', query: 'q', reason: verdict };
}

function run(outcome: RunOutcome, slos: SloResult[], extra: Partial<RunView> = {}): RunView {
  return {
    runId: 'r', scenario: 's', topology: 't', target: 'lab', start: 0, end: 1, outcome, exitCode: 0, reason: '', finished: true,
    slos, series: [], faults: [], faultKinds: [], guardrailBreaches: [], preflightProblems: [], ...extra,
  };
}

test('every gating SLO passed: 100; nothing else ever reaches 100', () => {
  expect(scoreGameDay(run('passed', [slo('pass'), slo('pass', 'trivial')])).score).toBe(100);
  // A thousand blockers passed and one trivial SLO failed: still below 100, never rounded up to a pass.
  const many = [...Array.from({ length: 1000 }, () => slo('pass', 'blocker')), slo('fail', 'trivial')];
  expect(scoreGameDay(run('failed', many)).score).toBe(99.9);
  const inconclusive = [...Array.from({ length: 1000 }, () => slo('pass', 'blocker')), slo('inconclusive', 'trivial')];
  expect(scoreGameDay(run('inconclusive', inconclusive)).score).toBe(99.9);
});

test('weights follow SLO severity, and the score is rounded down', () => {
  // blocker 16 passed, normal 4 failed → 16/20 = 80
  expect(scoreGameDay(run('failed', [slo('pass', 'blocker'), slo('fail', 'normal')])).score).toBe(80);
  // critical 8 passed, critical 8 + minor 2 failed → 8/18 = 44.44… → 44.4
  expect(scoreGameDay(run('failed', [slo('pass'), slo('fail'), slo('fail', 'minor')])).score).toBe(44.4);
  // 2/3 = 66.666… rounds down to 66.6, never up to 66.7
  expect(scoreGameDay(run('failed', [slo('pass'), slo('pass'), slo('fail')])).score).toBe(66.6);
});

test('informational SLOs neither raise nor lower it; inconclusive ones earn nothing', () => {
  const base = [slo('pass'), slo('fail')];
  const score = scoreGameDay(run('failed', base)).score;
  expect(scoreGameDay(run('failed', [...base, slo('pass', 'blocker', true), slo('pass', 'blocker', true)])).score).toBe(score);
  expect(scoreGameDay(run('failed', [...base, slo('fail', 'blocker', true)])).score).toBe(score);
  expect(scoreGameDay(run('inconclusive', [slo('pass'), slo('inconclusive')])).score).toBe(50);
  expect(scoreGameDay(run('inconclusive', [slo('inconclusive'), slo('inconclusive')])).score).toBe(0);
});

test('a guardrail abort scores 0; a run that never reached its verdict, or has no gating SLO, is not scored', () => {
  expect(scoreGameDay(run('aborted', [slo('pass'), slo('pass')])).score).toBe(0);
  for (const outcome of ['refused', 'error', 'interrupted'] as const) expect(scoreGameDay(run(outcome, [slo('pass')])).score).toBeNull();
  expect(scoreGameDay(run('passed', [slo('pass')], { finished: false })).score).toBeNull();
  expect(scoreGameDay(run('passed', [slo('pass', 'critical', true)])).score).toBeNull();
  expect(scoreGameDay(run('passed', [])).score).toBeNull();
});

test('per topology: weighted by game-day severity; a game day that was not scored counts 0, never as a pass', () => {
  const days = [
    run('passed', [slo('pass')], { scenario: 'a', severity: 'blocker' }),
    run('failed', [slo('fail')], { scenario: 'b', severity: 'minor' }),
    run('error', [], { scenario: 'c', severity: 'normal' }),
    run('passed', [slo('pass')], { scenario: 'd', topology: 'other' }),
  ];
  const { topologies } = scoreGameDays(days);
  // (16×100 + 2×0 + 4×0) / 22 = 72.7…
  expect(topologies).toEqual([
    { topology: 't', score: 72.7, gameDays: 3, notScored: 1 },
    { topology: 'other', score: 100, gameDays: 1, notScored: 0 },
  ]);
});

test('properties over random game days (seeded): within 0..100, 100 only when all passed, monotone in each verdict', () => {
  const random = prng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  for (let i = 0; i < 2000; i++) {
    const slos = Array.from({ length: 1 + Math.floor(random() * 12) }, () => slo(pick(['pass', 'fail', 'inconclusive'] as const), pick(SEVERITIES), random() < 0.2));
    const outcome = slos.some((s) => !s.informational && s.verdict === 'fail') ? 'failed' : 'passed';
    const { score } = scoreGameDay(run(outcome, slos));
    const gating = slos.filter((s) => !s.informational);
    if (gating.length === 0) {
      expect(score).toBeNull();
      continue;
    }
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
    expect(score === 100).toBe(gating.every((s) => s.verdict === 'pass'));
    // Turning any gating verdict into a pass never lowers the score; into a fail or inconclusive never raises it.
    const k = slos.indexOf(pick(gating));
    for (const v of ['pass', 'fail', 'inconclusive'] as const) {
      const changed = slos.map((s, j) => (j === k ? { ...s, verdict: v } : s));
      const next = scoreGameDay(run(outcome, changed)).score!;
      if (v === 'pass') expect(next).toBeGreaterThanOrEqual(score!);
      else expect(next).toBeLessThanOrEqual(score!);
    }
  }
});

test('the score is in the verdict table, its JSON, the Allure results, and the trend across reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-score-'));
  try {
    const journals = [SAMPLE_RUNS.passingRun(dir), SAMPLE_RUNS.breachRun(dir), SAMPLE_RUNS.abortRun(dir), SAMPLE_RUNS.inconclusiveRun(dir)];
    const table = verdictTable(journals);
    const text = formatVerdictTable(table);
    expect(text).toContain('resilience score 100.0/100');
    expect(text).toContain('resilience score 0.0/100: a guardrail aborted the run');
    expect(text).toMatch(/resilience score by topology/);
    const json = JSON.parse(JSON.stringify(table)) as typeof table;
    for (const r of json.runs) expect(r.resilience).toHaveProperty('score');
    expect(json.resilience.length).toBeGreaterThan(0);

    const results = join(dir, 'allure-results');
    writeAllureResults(results, journals);
    writeScores(results, journals);
    extendScoreTrend(results, 1, 1000);
    const trend: TrendPoint[] = extendScoreTrend(results, 2, 2000);
    expect(trend.map((p) => p.buildOrder)).toEqual([1, 2]);
    const resultFiles = readdirSync(results).filter((f) => f.endsWith('-result.json'));
    expect(resultFiles).toHaveLength(4);
    for (const f of resultFiles) {
      const r = JSON.parse(readFileSync(join(results, f), 'utf8')) as { status: string; parameters: { name: string; value: string }[]; attachments: { name: string; source: string }[]; steps: unknown[] };
      expect(r.parameters.find((p) => p.name === 'resilience score')?.value).toMatch(/\/100|not scored/);
      const chart = r.attachments.find((a) => a.name === 'resilience score trend');
      expect(chart).toBeDefined();
      expect(readFileSync(join(results, chart!.source), 'utf8')).toContain('<svg');
      expect(['passed', 'failed', 'broken']).toContain(r.status);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
