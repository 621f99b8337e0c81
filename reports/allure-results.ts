import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Attachment, StepResult, TestResult } from 'allure-js-commons';
import type { JournalEntry, SloResult } from '../core/index.ts';
import { allureLabels } from './allure-labels.ts';
import { reportAttachments } from './attachments.ts';
import { failureMessage } from './failure-message.ts';
import { formatValue } from './format.ts';
import { formatScore, scoreGameDay } from './resilience-score.ts';
import { viewRun, type RunView } from './run-view.ts';

type Status = NonNullable<TestResult['status']>;
const EXTENSION: Record<string, string> = { 'application/json': 'json', 'text/html': 'html', 'text/plain': 'txt', 'image/svg+xml': 'svg' };

/**
 * Allure results for runs that do not go through Playwright (`faultline run`, the scheduled CronJob): one test per
 * run, one step per SLO, the same labels, attachments and failure categories as the game-day suites, and the
 * resilience score as a parameter. `faultline report --results DIR` renders them, with history.
 */
export function writeAllureResults(resultsDir: string, journals: readonly (readonly JournalEntry[])[]): string[] {
  mkdirSync(resultsDir, { recursive: true });
  return journals.map((entries) => {
    const run = viewRun(entries);
    const uuid = randomUUID();
    const meta = allureLabels(entries);
    const attachments: Attachment[] = reportAttachments(entries).map((a) => {
      const source = `${randomUUID()}-attachment.${EXTENSION[a.contentType] ?? 'txt'}`;
      writeFileSync(join(resultsDir, source), a.body);
      return { name: a.name, type: a.contentType, source };
    });
    const score = scoreGameDay(run);
    const fullName = `${run.topology}.${run.scenario}`;
    const message = failureMessage(entries);
    const result: TestResult = {
      uuid,
      // Same history id for every run of one game day, so Allure's history and trends follow it across runs.
      historyId: createHash('md5').update(fullName).digest('hex'),
      testCaseId: createHash('md5').update(fullName).digest('hex'),
      name: run.scenario,
      fullName,
      titlePath: [run.topology, run.scenario],
      status: statusOf(run),
      statusDetails: message ? { message } : {},
      stage: 'finished' as TestResult['stage'],
      description: `${meta.description}\n\n**Resilience score ${formatScore(score.score)}**: ${score.note}`,
      steps: run.slos.map((s) => sloStep(s)),
      attachments,
      parameters: [...meta.parameters, { name: 'resilience score', value: formatScore(score.score), excluded: true }],
      labels: [...meta.labels, { name: 'suite', value: run.topology }, { name: 'framework', value: 'faultline' }],
      links: [],
      start: run.start,
      stop: run.end,
    };
    const path = join(resultsDir, `${uuid}-result.json`);
    writeFileSync(path, JSON.stringify(result, null, 2) + '\n');
    return path;
  });
}

/** A failed SLO is a product defect (failed); a run that could not be judged is broken, never passed. */
function statusOf(run: RunView): Status {
  switch (run.outcome) {
    case 'passed':
      return 'passed' as Status;
    case 'failed':
    case 'aborted':
      return 'failed' as Status;
    default:
      return 'broken' as Status;
  }
}

function sloStep(s: SloResult): StepResult {
  const status = (s.verdict === 'pass' ? 'passed' : s.informational ? 'skipped' : s.verdict === 'fail' ? 'failed' : 'broken') as Status;
  return {
    name: `${s.informational ? '(informational) ' : ''}${s.name}: observed ${formatValue(s.observed, s.unit)}, objective ${s.objective}`,
    status,
    statusDetails: s.verdict === 'pass' ? {} : { message: s.reason },
    stage: 'finished' as StepResult['stage'],
    steps: [],
    attachments: [],
    parameters: [
      { name: 'window', value: s.window },
      { name: 'severity', value: s.severity },
      { name: 'query', value: s.query },
    ],
    start: s.range.start,
    stop: s.range.end,
  };
}
