import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Copies `<previous report>/history` into the results dir so the next report continues the trend charts and
 * each test's history across game days. Returns false when there is no previous report yet (the first run).
 */
export function copyHistory(previousReportDir: string, resultsDir: string): boolean {
  const from = join(previousReportDir, 'history');
  if (!existsSync(from)) return false;
  cpSync(from, join(resultsDir, 'history'), { recursive: true, force: true });
  return true;
}

/** The next build number: one past the highest the carried-over history trend knows, or 1 on the first run. */
export function nextBuildOrder(resultsDir: string): number {
  const trend = join(resultsDir, 'history', 'history-trend.json');
  if (!existsSync(trend)) return 1;
  try {
    const items = JSON.parse(readFileSync(trend, 'utf8')) as { buildOrder?: number }[];
    // A trend without build numbers still counts its builds, so the numbering keeps climbing.
    return Math.max(items.length, ...items.map((i) => i.buildOrder ?? 0)) + 1;
  } catch {
    return 1;
  }
}
