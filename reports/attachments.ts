import { redactSecrets, type JournalEntry } from '../core/index.ts';
import { failoverEvidenceMarkdown } from './failover-evidence.ts';
import { loadSummaryMarkdown } from './load-table.ts';
import { sliChartSvg } from './sli-chart.ts';
import { sloTableHtml, sloTableMarkdown } from './slo-table.ts';

/** Shaped for `testInfo.attach(name, { body, contentType })`. */
export interface ReportAttachment {
  name: string;
  contentType: 'application/json' | 'text/html' | 'text/plain' | 'image/svg+xml';
  body: string;
}

/**
 * Every artifact of one run, rendered from its journal: the journal itself, the SLO table (HTML and markdown),
 * the load summary when the run got that far, and the SLI chart. The fixture attaches them in one loop.
 */
export function reportAttachments(entries: readonly JournalEntry[]): ReportAttachment[] {
  const load = loadSummaryMarkdown(entries);
  const failover = failoverEvidenceMarkdown(entries);
  return [
    { name: 'SLI chart', contentType: 'image/svg+xml', body: sliChartSvg(entries) },
    { name: 'SLO table', contentType: 'text/html', body: sloTableHtml(entries) },
    { name: 'SLO table (markdown)', contentType: 'text/plain', body: sloTableMarkdown(entries) },
    ...(load ? [{ name: 'k6 summary', contentType: 'text/plain' as const, body: load }] : []),
    ...(failover ? [{ name: 'failover: RTO phases and data loss', contentType: 'text/plain' as const, body: failover }] : []),
    // Journals are redacted as they are written; again here because a journal may be hand-made or come from elsewhere.
    { name: 'journal', contentType: 'application/json', body: JSON.stringify(redactSecrets(entries), null, 2) + '\n' },
  ];
}
