import type { JournalEntry, LoadSummary } from '../core/index.ts';
import { formatDuration } from '../core/index.ts';
import { formatNumber } from './format.ts';
import { viewRun } from './run-view.ts';

const HEADER = ['region', 'target req/s', 'achieved req/s', 'requests', 'failed', 'dropped iterations', 'p95 ms', 'p99 ms'];

/**
 * The load generator's summary per region as a markdown table. Target beside achieved rate, and dropped
 * iterations, tell a reader whether the load generator delivered the load at all before they blame the SUT.
 */
export function loadSummaryMarkdown(entries: readonly JournalEntry[]): string | undefined {
  const summary = viewRun(entries).load;
  return summary && formatLoadSummary(summary);
}

export function formatLoadSummary(summary: LoadSummary): string {
  const rows = summary.regions.map((r) => [
    r.region,
    r.targetRate === undefined ? '—' : formatNumber(r.targetRate),
    formatNumber(r.achievedRate),
    String(r.requests),
    `${r.failed} (${r.requests ? formatNumber((100 * r.failed) / r.requests) : 0}%)`,
    String(r.droppedIterations),
    formatNumber(r.latencyMs.p95),
    formatNumber(r.latencyMs.p99),
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const shortfalls = summary.regions.filter((r) => r.droppedIterations > 0).map((r) => r.region);
  return [
    `${summary.tool} load over ${formatDuration(summary.durationMs)}`,
    '',
    line(HEADER),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    ...(shortfalls.length
      ? ['', `Dropped iterations in ${shortfalls.join(', ')}: the load generator fell short of the target there, not the SUT.`]
      : []),
  ].join('\n') + '\n';
}
