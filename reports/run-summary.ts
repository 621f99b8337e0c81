import { EXIT_CODE_MEANING, type ExitCode } from '../core/index.ts';
import { formatScore } from './resilience-score.ts';
import type { VerdictTable } from './verdict-table.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * A Markdown summary for a CI job page (GitHub's `$GITHUB_STEP_SUMMARY`): the exit code and what it means first,
 * then each game day with its resilience score and the SLOs that did not pass. `table` is absent when the command
 * was refused before any run (a bad experiment file): the summary then says why, from `error`.
 */
export function summaryMarkdown(exitCode: number, table?: VerdictTable, error?: string): string {
  const meaning = EXIT_CODE_MEANING[exitCode as ExitCode] ?? 'unknown exit code';
  const out = [`## faultline: exit ${exitCode}, ${meaning}`, ''];
  if (error) out.push('```', error.trim(), '```', '');
  if (table) {
    out.push('| game day | topology | outcome | resilience score | why |', '|---|---|---|---|---|');
    for (const run of table.runs) {
      out.push(`| ${cell(run.scenario)} | ${cell(run.topology)} | ${run.outcome} (exit ${run.exitCode}) | ${formatScore(run.resilience.score)} | ${cell(run.failure ?? run.reason)} |`);
    }
    const notPassed = table.runs.flatMap((r) => r.slos.filter((s) => s.verdict !== 'pass' && !s.informational).map((s) => ({ run: r.scenario, s })));
    if (notPassed.length) {
      out.push('', '| game day | SLO | verdict | observed | objective | reason |', '|---|---|---|---|---|---|');
      for (const { run, s } of notPassed) out.push(`| ${cell(run)} | ${cell(s.name)} | ${s.verdict} | ${cell(s.observedText)} | ${cell(s.objective)} | ${cell(s.reason)} |`);
    }
    if (table.resilience.length) {
      out.push('', `Resilience score by topology: ${table.resilience.map((t) => `**${t.topology}** ${formatScore(t.score)}`).join(', ')}.`);
    }
  }
  return out.join('\n') + '\n';
}
