import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type JournalEntry } from '../../core/index.ts';
import {
  allureLabels,
  failureMessage,
  generateAllureReport,
  reportAttachments,
  viewRun,
  writeResultsExtras,
} from '../../reports/index.ts';
import { abortRun, breachRun, inconclusiveRun, passingRun } from './sample-journals.ts';
import { serveDirectory } from './static-server.ts';

const PORT = 19300;
const EXTENSION: Record<string, string> = { 'image/svg+xml': 'svg', 'text/html': 'html', 'text/plain': 'txt', 'application/json': 'json' };

/**
 * One game day's result as allure-playwright 3.x writes it: a `<uuid>-result.json` whose failure message is
 * Playwright's (`Error: <message>`), the fixture's labels and parameters, and the report attachments as files.
 */
function writeGameDayResult(resultsDir: string, entries: JournalEntry[], options: { status?: 'skipped' } = {}): string {
  const run = viewRun(entries);
  const uuid = randomUUID();
  const message = failureMessage(entries);
  const meta = allureLabels(entries);
  const attachments = reportAttachments(entries).map((a) => {
    const source = `${randomUUID()}-attachment.${EXTENSION[a.contentType]}`;
    writeFileSync(join(resultsDir, source), a.body);
    return { name: a.name, source, type: a.contentType };
  });
  const fullName = `tri-region-tgw/game-days.spec.ts:${run.scenario}`;
  const testCaseId = createHash('md5').update(fullName).digest('hex');
  const status = options.status ?? (message ? 'failed' : 'passed');
  const result = {
    uuid,
    name: run.scenario,
    fullName,
    testCaseId,
    historyId: `${testCaseId}:${createHash('md5').update('target=lab').digest('hex')}`,
    status,
    statusDetails: message
      ? { message: status === 'skipped' ? message : `Error: ${message}`, trace: `Error: ${message}\n    at scenarios/fixtures.ts:88:11` }
      : {},
    stage: 'finished',
    steps: [],
    attachments,
    parameters: meta.parameters,
    labels: [
      { name: 'language', value: 'javascript' },
      { name: 'framework', value: 'playwright' },
      { name: 'parentSuite', value: 'gameday' },
      { name: 'host', value: 'lab-host' },
      { name: 'thread', value: 'pid-1-worker-0' },
      ...meta.labels,
    ],
    links: [],
    description: meta.description,
    start: run.start,
    stop: run.end,
    titlePath: ['tri-region-tgw', 'game-days.spec.ts'],
  };
  writeFileSync(join(resultsDir, `${uuid}-result.json`), JSON.stringify(result));
  return run.scenario;
}

type CategoryTree = { children: { name: string; children: { name: string; children?: { name: string }[] }[] }[] };

/** Category name → names of the tests Allure put in it. */
function categoriesOf(reportDir: string): Record<string, string[]> {
  const tree = JSON.parse(readFileSync(join(reportDir, 'data', 'categories.json'), 'utf8')) as CategoryTree;
  return Object.fromEntries(tree.children.map((c) => [c.name, c.children.flatMap((g) => (g.children ?? [g]).map((t) => t.name)).sort()]));
}

test.describe('Allure report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-allure-'));
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('categories, environment, history across two game days, and the report in a browser', async ({ page }) => {
    const journals = join(dir, 'journals');
    const reportDir = join(dir, 'report');
    const crashed = passingRun(join(journals, 'crashed')).filter((e) => e.type !== 'verdict' && e.type !== 'windows');
    const runs = [passingRun(journals), breachRun(journals), abortRun(journals), inconclusiveRun(journals)];

    // First game day: one result of each kind, plus a run whose journal stops without a verdict.
    const first = join(dir, 'results-1');
    mkdirSync(first, { recursive: true });
    for (const entries of runs) writeGameDayResult(first, entries);
    const crashedRun = { ...crashed[0]!, scenario: 'jkt-pod-loss-crashed' } as JournalEntry;
    writeGameDayResult(first, [crashedRun, ...crashed.slice(1)]);
    writeResultsExtras(first, runs, { k6Version: 'v2.2.0', prometheusVersion: '2.42.0' });

    const index = await generateAllureReport({ resultsDir: first, reportDir });
    expect(index).toBe(join(reportDir, 'index.html'));
    expect(categoriesOf(reportDir)).toEqual({
      'SLO breach': ['tgw-partition-jkt-bdg'],
      'Guardrail abort': ['jkt-total-outage'],
      Inconclusive: ['bdg-replica-lag-5s'],
      'Harness error': ['jkt-pod-loss-crashed'],
    });
    const environment = JSON.parse(readFileSync(join(reportDir, 'widgets', 'environment.json'), 'utf8')) as { name: string; values: string[] }[];
    expect(environment).toEqual(
      expect.arrayContaining([
        { name: 'target', values: ['lab'] },
        { name: 'topology', values: ['tri-region-tgw'] },
        { name: 'k6.version', values: ['v2.2.0'] },
        { name: 'run.id', values: ['run-pass-1, run-breach-2, run-abort-3, run-inconclusive-4'] },
      ]),
    );
    const behaviors = readFileSync(join(reportDir, 'data', 'behaviors.json'), 'utf8');
    for (const label of ['tri-region-tgw', 'partition', 'podFailure', 'replicaLag', 'podKill']) expect(behaviors).toContain(`"name":"${label}"`);

    // The report as people see it, served over loopback: every category, the test in it, its attachments.
    {
      await using server = await serveDirectory(reportDir, PORT);
      await page.goto(`${server.url}#categories`);
      const names = page.locator('.node__name');
      for (const category of ['SLO breach', 'Guardrail abort', 'Inconclusive', 'Harness error']) {
        await expect(names.filter({ hasText: new RegExp(`^\\s*${category}\\s*$`) })).toHaveCount(1);
      }
      await names.filter({ hasText: /^\s*SLO breach\s*$/ }).click();
      await names.filter({ hasText: /SLO breach: 1 SLO failed in "tgw-partition-jkt-bdg"/ }).click();
      await names.filter({ hasText: /^\s*tgw-partition-jkt-bdg\s*$/ }).click();
      for (const attachment of ['SLI chart', 'SLO table', 'k6 summary', 'journal']) {
        await expect(page.getByText(attachment, { exact: true })).toBeVisible();
      }
      await page.goto(`${server.url}#suites`);
      for (const name of ['tgw-partition-jkt-bdg', 'jkt-pod-loss', 'jkt-total-outage', 'bdg-replica-lag-5s', 'jkt-pod-loss-crashed']) {
        await expect(page.locator('.node__name').filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) })).toHaveCount(1);
      }
    }

    // Second game day: the partition now passes, and an inconclusive run is reported by the fixture as skipped.
    const second = join(dir, 'results-2');
    mkdirSync(second, { recursive: true });
    const healed = passingRun(join(journals, 'healed')).map((e) => (e.type === 'run-start' ? { ...e, scenario: 'tgw-partition-jkt-bdg', runId: 'run-5' } : e));
    writeGameDayResult(second, healed);
    writeGameDayResult(second, runs[0]!);
    writeGameDayResult(second, runs[3]!, { status: 'skipped' });
    writeResultsExtras(second, [healed]);
    await generateAllureReport({ resultsDir: second, reportDir });

    expect(categoriesOf(reportDir)).toEqual({ Inconclusive: ['bdg-replica-lag-5s'] });
    const trend = JSON.parse(readFileSync(join(reportDir, 'history', 'history-trend.json'), 'utf8')) as { buildOrder?: number; data: { total: number } }[];
    expect(trend.map((t) => [t.buildOrder, t.data.total])).toEqual([
      [2, 3],
      [1, 5],
    ]);
    const partitionCase = readdirSync(join(reportDir, 'data', 'test-cases'))
      .map((f) => JSON.parse(readFileSync(join(reportDir, 'data', 'test-cases', f), 'utf8')) as { name: string; extra?: { history?: { items?: { status: string }[] } } })
      .find((t) => t.name === 'tgw-partition-jkt-bdg')!;
    // The earlier failure shows in the healed test's history: same history id, carried over from the first report.
    expect(partitionCase.extra?.history?.items?.map((i) => i.status)).toEqual(['failed']);

  });

  test('says what to do when there are no results, or no Java', async () => {
    const empty = join(dir, 'empty-results');
    mkdirSync(empty, { recursive: true });
    await expect(generateAllureReport({ resultsDir: empty, reportDir: join(dir, 'never') })).rejects.toMatchObject({
      code: 'FAULTLINE_BAD_INPUT',
      message: expect.stringContaining('run the game days first'),
    });

    const results = join(dir, 'results-java');
    mkdirSync(results, { recursive: true });
    writeGameDayResult(results, passingRun(join(dir, 'java-journal')));
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = join(dir, 'no-such-jdk');
    try {
      await expect(generateAllureReport({ resultsDir: results, reportDir: join(dir, 'never') })).rejects.toMatchObject({
        code: 'FAULTLINE_SETUP_MISSING',
        message: expect.stringMatching(/Java was not found[\s\S]*openjdk-17-jre-headless/),
      });
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });
});
