import type { JournalEntry, SloResult, Verdict } from '../core/index.ts';
import { formatOffset, formatValue } from './format.ts';
import { viewRun, type RunView } from './run-view.ts';
import { escapeXml } from './xml.ts';

/** One row of the SLO table, in display form. */
export interface SloRow {
  verdict: Verdict;
  /** `FAIL`, `INCONCLUSIVE`, `pass`, or `info: …` for an informational SLO that cannot fail the run. */
  mark: string;
  name: string;
  kind: string;
  /** The window and its span from run start, e.g. `during (30s–90s)`. */
  window: string;
  observed: string;
  objective: string;
  severity: string;
  reason: string;
}

const VERDICT_RANK: Record<Verdict, number> = { fail: 0, inconclusive: 1, pass: 2 };

/** Rows ordered failing first, then unjudged, then passing; informational SLOs after the ones that count. */
export function sloRows(run: RunView): SloRow[] {
  return [...run.slos]
    .sort((a, b) => Number(a.informational) - Number(b.informational) || VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict])
    .map((s) => ({
      verdict: s.verdict,
      mark: verdictMark(s),
      name: s.name,
      kind: s.kind,
      window: `${s.window} (${formatOffset(s.range.start - run.start)}–${formatOffset(s.range.end - run.start)})`,
      observed: formatValue(s.observed, s.unit),
      objective: s.objective,
      severity: s.severity,
      reason: s.reason,
    }));
}

export function verdictMark(s: Pick<SloResult, 'verdict' | 'informational'>): string {
  const word = s.verdict === 'fail' ? 'FAIL' : s.verdict === 'inconclusive' ? 'INCONCLUSIVE' : 'pass';
  return s.informational ? `info: ${word.toLowerCase()}` : word;
}

const COLUMNS: [keyof SloRow, string][] = [
  ['mark', 'verdict'],
  ['name', 'SLO'],
  ['kind', 'kind'],
  ['window', 'window'],
  ['observed', 'observed'],
  ['objective', 'objective'],
  ['severity', 'severity'],
  ['reason', 'why'],
];

/** Markdown pipe table: readable as plain text in a CI log and rendered by anything that speaks markdown. */
export function sloTableMarkdown(entries: readonly JournalEntry[]): string {
  const run = viewRun(entries);
  const title = `SLOs of "${run.scenario}" (${run.outcome}): ${run.reason}`;
  const rows = sloRows(run);
  if (!rows.length) return `${title}\n\nNo SLO was judged.\n`;
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `| ${COLUMNS.map(([, h]) => h).join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${COLUMNS.map(([k]) => cell(r[k])).join(' | ')} |`),
  ];
  return `${title}\n\n${lines.join('\n')}\n`;
}

/** A self-contained HTML page (Allure shows HTML attachments in a sandboxed frame, so no external CSS). */
export function sloTableHtml(entries: readonly JournalEntry[]): string {
  const run = viewRun(entries);
  const rows = sloRows(run);
  const body = rows.length
    ? `<table>
<thead><tr>${COLUMNS.map(([, h]) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows
  .map(
    (r) =>
      `<tr class="${r.verdict}${r.mark.startsWith('info') ? ' informational' : ''}">${COLUMNS.map(
        ([k]) => `<td class="${k}">${escapeXml(r[k])}</td>`,
      ).join('')}</tr>`,
  )
  .join('\n')}
</tbody>
</table>`
    : '<p>No SLO was judged.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SLOs: ${escapeXml(run.scenario)}</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 12px; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.observed, td.objective { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.fail td.mark { background: #fdd; color: #a00; font-weight: bold; }
tr.inconclusive td.mark { background: #ffe9b3; color: #7a5000; font-weight: bold; }
tr.pass td.mark { background: #dfd; color: #060; }
tr.informational td { color: #666; }
</style></head>
<body>
<p><strong>${escapeXml(run.scenario)}</strong> on ${escapeXml(run.target)} (${escapeXml(run.topology)}), run ${escapeXml(run.runId)}:
<strong>${escapeXml(run.outcome)}</strong>. ${escapeXml(run.reason)}</p>
${body}
</body></html>
`;
}
