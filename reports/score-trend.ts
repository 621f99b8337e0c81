import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEntry } from '../core/index.ts';
import { scoreGameDays } from './resilience-score.ts';
import { viewRun } from './run-view.ts';
import { xmlSafe as x } from './xml.ts';

/** The scores of the runs in one results dir, written beside the Allure results by whoever wrote those. */
export const SCORES_FILE = 'faultline-scores.json';
/** The trend across reports, kept in the report's `history/` so it travels with Allure's own history. */
export const TREND_FILE = 'faultline-score-trend.json';

export interface ScoresFile {
  gameDays: { scenario: string; topology: string; runId: string; score: number | null }[];
  topologies: { topology: string; score: number | null }[];
}

export interface TrendPoint {
  buildOrder: number;
  time: number;
  gameDays: Record<string, number | null>;
  topologies: Record<string, number | null>;
}

/** Writes the scores of these runs (every run whose results are in the dir) beside the Allure results. */
export function writeScores(resultsDir: string, journals: readonly (readonly JournalEntry[])[]): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, SCORES_FILE);
  const scores = scoreGameDays(journals.map((j) => viewRun(j)));
  const file: ScoresFile = {
    gameDays: scores.gameDays.map(({ scenario, topology, runId, score }) => ({ scenario, topology, runId, score })),
    topologies: scores.topologies.map(({ topology, score }) => ({ topology, score })),
  };
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
  return path;
}

/**
 * Adds this build's scores to the trend carried over in `<results>/history/` (copied from the previous report),
 * attaches the trend chart to each game day's Allure result, and returns the trend. Call it after the history was
 * copied and before `allure generate`; copy the file into the report's history afterwards.
 */
export function extendScoreTrend(resultsDir: string, buildOrder: number, now = Date.now()): TrendPoint[] {
  const scoresPath = join(resultsDir, SCORES_FILE);
  const trendPath = join(resultsDir, 'history', TREND_FILE);
  const trend: TrendPoint[] = existsSync(trendPath) ? (JSON.parse(readFileSync(trendPath, 'utf8')) as TrendPoint[]) : [];
  if (!existsSync(scoresPath)) return trend;
  const scores = JSON.parse(readFileSync(scoresPath, 'utf8')) as ScoresFile;
  const point: TrendPoint = {
    buildOrder,
    time: now,
    gameDays: Object.fromEntries(scores.gameDays.map((g) => [g.scenario, g.score])),
    topologies: Object.fromEntries(scores.topologies.map((t) => [t.topology, t.score])),
  };
  const next = [...trend.filter((p) => p.buildOrder !== buildOrder), point].sort((a, b) => a.buildOrder - b.buildOrder);
  mkdirSync(join(resultsDir, 'history'), { recursive: true });
  writeFileSync(trendPath, JSON.stringify(next, null, 2) + '\n');
  attachTrendCharts(resultsDir, next, scores);
  return next;
}

/** Every game day's result gets one chart: its own score and its topology's, build after build. */
function attachTrendCharts(resultsDir: string, trend: TrendPoint[], scores: ScoresFile): void {
  for (const file of readdirSync(resultsDir).filter((f) => f.endsWith('-result.json'))) {
    const path = join(resultsDir, file);
    const result = JSON.parse(readFileSync(path, 'utf8')) as { labels?: { name: string; value: string }[]; attachments?: { name: string; source: string; type: string }[] };
    const story = result.labels?.find((l) => l.name === 'story')?.value;
    const game = scores.gameDays.find((g) => g.scenario === story);
    if (!game || result.attachments?.some((a) => a.name === 'resilience score trend')) continue;
    const svg = scoreTrendSvg([
      { name: `${game.scenario} (game day)`, points: trend.map((p) => [p.buildOrder, p.gameDays[game.scenario] ?? null]) },
      { name: `${game.topology} (topology)`, points: trend.map((p) => [p.buildOrder, p.topologies[game.topology] ?? null]) },
    ]);
    const source = `${file.replace(/-result\.json$/, '')}-score-trend-attachment.svg`;
    writeFileSync(join(resultsDir, source), svg);
    result.attachments = [...(result.attachments ?? []), { name: 'resilience score trend', source, type: 'image/svg+xml' }];
    writeFileSync(path, JSON.stringify(result, null, 2) + '\n');
  }
}

/** A small line chart of scores (0..100) per build; a build where the game day was not scored is a gap. */
export function scoreTrendSvg(series: { name: string; points: [number, number | null][] }[]): string {
  const width = 640;
  const height = 240;
  const pad = { left: 44, right: 16, top: 16, bottom: 56 };
  const builds = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const xOf = (b: number) => pad.left + (builds.length <= 1 ? (width - pad.left - pad.right) / 2 : ((builds.indexOf(b) / (builds.length - 1)) * (width - pad.left - pad.right)));
  const yOf = (v: number) => pad.top + (1 - v / 100) * (height - pad.top - pad.bottom);
  const colors = ['#1f77b4', '#ff7f0e'];
  const grid = [0, 25, 50, 75, 100].map((v) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${yOf(v)}" y2="${yOf(v)}" stroke="#ddd"/><text x="${pad.left - 6}" y="${yOf(v) + 4}" font-size="11" text-anchor="end">${v}</text>`);
  const lines = series.map((s, i) => {
    const color = colors[i % colors.length]!;
    const segments: string[][] = [[]];
    for (const [b, v] of s.points) {
      if (v === null) segments.push([]);
      else segments.at(-1)!.push(`${xOf(b).toFixed(1)},${yOf(v).toFixed(1)}`);
    }
    const paths = segments.filter((seg) => seg.length).map((seg) => `<polyline fill="none" stroke="${color}" stroke-width="2" points="${seg.join(' ')}"/>`);
    const dots = s.points.filter((p) => p[1] !== null).map(([b, v]) => `<circle cx="${xOf(b).toFixed(1)}" cy="${yOf(v!).toFixed(1)}" r="3" fill="${color}"><title>build ${b}: ${v!.toFixed(1)}</title></circle>`);
    const legend = `<rect x="${pad.left + i * 300}" y="${height - 18}" width="12" height="3" fill="${color}"/><text x="${pad.left + i * 300 + 16}" y="${height - 13}" font-size="11">${x(s.name)}</text>`;
    return [...paths, ...dots, legend].join('');
  });
  const ticks = builds.map((b) => `<text x="${xOf(b)}" y="${height - pad.bottom + 16}" font-size="11" text-anchor="middle">#${b}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif"><title>resilience score by build</title>${grid.join('')}${ticks.join('')}${lines.join('')}</svg>\n`;
}
