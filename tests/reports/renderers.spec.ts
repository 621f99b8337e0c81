import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { eventsOf, type JournalEntry } from '../../core/index.ts';
import {
  FAILURE_PREFIX,
  allureLabels,
  applyAllureMetadata,
  environmentFromJournals,
  failureMessage,
  formatVerdictTable,
  junitXml,
  loadSummaryMarkdown,
  readJournalFile,
  reportAttachments,
  sliChartSvg,
  sloTableHtml,
  sloTableMarkdown,
  verdictTable,
  writeEnvironment,
} from '../../reports/index.ts';
import { T0, abortRun, breachRun, inconclusiveRun, passingRun } from './sample-journals.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-reports-'));
const runs = { pass: passingRun(dir), breach: breachRun(dir), abort: abortRun(dir), inconclusive: inconclusiveRun(dir) };
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Chromium's own XML parser: a document that is not well-formed comes back with a <parsererror>. */
async function parseXml(page: Page, text: string, type: 'image/svg+xml' | 'application/xml') {
  return page.evaluate(
    ([t, mime]) => {
      const doc = new DOMParser().parseFromString(t, mime as DOMParserSupportedType);
      return doc.getElementsByTagName('parsererror').length === 0;
    },
    [text, type] as const,
  );
}

test.describe('SLO table', () => {
  test('markdown lists failing SLOs first, informational last, with observed vs objective', () => {
    const md = sloTableMarkdown(runs.breach);
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| verdict'));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('| FAIL | bdg read availability during partition |');
    expect(rows[0]).toContain('| 97.12% | ≥ 99.5% |');
    expect(rows[0]).toContain('during (30s–90s)');
    expect(rows.at(-1)).toContain('| info: fail | bdg write availability during partition |');
    expect(md).toContain('"tgw-partition-jkt-bdg" (failed)');
  });

  test('an SLO without data reads "no data", never a number', () => {
    const md = sloTableMarkdown(runs.inconclusive);
    expect(md).toMatch(/\| INCONCLUSIVE \| bdg replica lag at most 7 s \| replicaLag \| during \(30s–90s\) \| no data \| ≤ 7s \|/);
  });

  test('HTML marks each row with its verdict and escapes names', async ({ page }) => {
    const html = sloTableHtml(runs.breach);
    await page.setContent(html);
    const rows = page.locator('tbody tr');
    await expect(rows).toHaveCount(4);
    await expect(rows.nth(0)).toHaveClass('fail');
    await expect(rows.nth(0).locator('td.observed')).toHaveText('97.12%');
    await expect(rows.nth(3)).toHaveClass('fail informational');
    await expect(page.locator('tr.pass')).toHaveCount(2);
    expect(html).not.toContain('jkt↔bdg <'); // nothing unescaped leaks into markup
  });
});

test.describe('k6 summary', () => {
  test('per region: target vs achieved rate, failed, dropped, p95/p99', () => {
    const text = loadSummaryMarkdown(runs.breach)!;
    const bdg = text.split('\n').find((l) => l.startsWith('| bdg'))!;
    expect(bdg.split('|').map((c) => c.trim())).toEqual(['', 'bdg', '15', '14.98', '1875', '301 (16.053%)', '0', '84.3', '212.7', '']);
    expect(text).toContain('Dropped iterations in sby');
  });

  test('a run that never reached load has no k6 summary attachment', () => {
    const cut = runs.pass.filter((e) => e.type !== 'load-summary');
    expect(loadSummaryMarkdown(cut)).toBeUndefined();
    expect(reportAttachments(cut).map((a) => a.name)).not.toContain('k6 summary');
  });
});

test.describe('SLI chart', () => {
  test('is well-formed SVG with one path per series and one shaded rect per fault window, at the right x', async ({ page }) => {
    for (const entries of [runs.pass, runs.abort]) {
      const svg = sliChartSvg(entries);
      expect(await parseXml(page, svg, 'image/svg+xml')).toBe(true);
      await page.setContent(svg);
      const series = eventsOf(entries, 'series');
      const paths = page.locator('path.series');
      await expect(paths).toHaveCount(series.length);
      for (const s of series) {
        const d = (await page.locator(`path.series[data-series="${s.name}"]`).getAttribute('d'))!;
        // Every sample becomes one M or L command.
        expect(d.match(/[ML]/g)).toHaveLength(s.points.length);
      }

      const root = page.locator('svg');
      const xMax = Number(await root.getAttribute('data-x-max-s'));
      const plot = page.locator('rect.plot-area').first();
      const [left, width] = [Number(await plot.getAttribute('x')), Number(await plot.getAttribute('width'))];
      const faults = eventsOf(entries, 'windows')[0]!.faults;
      const rects = page.locator('rect.fault-window');
      await expect(rects).toHaveCount(faults.length);
      for (const f of faults) {
        const rect = page.locator(`rect.fault-window[data-fault="${f.name}"]`);
        const x = Number(await rect.getAttribute('x'));
        const w = Number(await rect.getAttribute('width'));
        const startS = (f.range.start - T0) / 1_000;
        const endS = (f.range.end - T0) / 1_000;
        expect(x).toBeCloseTo(left + (startS / xMax) * width, 0);
        expect(x + w).toBeCloseTo(left + (endS / xMax) * width, 0);
        await expect(page.locator('text.fault-label', { hasText: f.name })).toHaveCount(1);
      }
    }
  });

  test('labels stay on the canvas and do not overlap one another', async ({ page }) => {
    await page.setContent(sliChartSvg(runs.abort));
    const boxes = await page.evaluate(() => {
      const svg = document.querySelector('svg')!;
      const texts = Array.from(document.querySelectorAll<SVGTextElement>('text.fault-label, text.guardrail-label'));
      return { width: svg.width.baseVal.value, boxes: texts.map((t) => t.getBBox()).map((b) => ({ x: b.x, y: b.y, w: b.width, h: b.height })) };
    });
    expect(boxes.boxes).toHaveLength(3); // two faults and the guardrail that aborted the run
    for (const [i, a] of boxes.boxes.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w).toBeLessThanOrEqual(boxes.width);
      for (const b of boxes.boxes.slice(i + 1)) {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart, `labels ${i} and another overlap`).toBe(true);
      }
    }
    await expect(page.locator('line.guardrail-breach')).toHaveCount(1);
  });

  test('a gap in the samples breaks the line instead of bridging it', async ({ page }) => {
    await page.setContent(sliChartSvg(runs.pass));
    const d = (await page.locator('path.series[data-series="replica lag:bdg"]').getAttribute('d'))!;
    expect(d.match(/M/g)).toHaveLength(2);
    const avail = (await page.locator('path.series[data-series="availability:jkt"]').getAttribute('d'))!;
    expect(avail.match(/M/g)).toHaveLength(1);
  });

  test('one panel per SLI, each region one colour across panels', async ({ page }) => {
    await page.setContent(sliChartSvg(runs.pass));
    await expect(page.locator('text.panel-title')).toHaveText(['availability', 'p95 latency', 'replica lag']);
    const colour = (name: string) => page.locator(`path.series[data-series="${name}"]`).getAttribute('stroke');
    expect(await colour('availability:jkt')).toBe(await colour('p95 latency:jkt'));
    expect(await colour('availability:bdg')).toBe(await colour('replica lag:bdg'));
    expect(await colour('availability:jkt')).not.toBe(await colour('availability:bdg'));
  });

  test('a fault with no successful revert is drawn to the end of the journal and flagged', async ({ page }) => {
    const crashed = runs.breach.filter((e) => e.type !== 'revert' && e.type !== 'windows' && e.type !== 'verdict');
    await page.setContent(sliChartSvg(crashed));
    await expect(page.locator('text.fault-label')).toHaveText('partition-jkt-bdg (NOT REVERTED)');
    const rect = page.locator('rect.fault-window');
    expect(Number(await rect.getAttribute('data-end-s'))).toBe((crashed.at(-1)!.t - T0) / 1_000);
  });
});

test.describe('Allure labels', () => {
  test('epic = topology, feature = fault kinds, story = scenario, severity, and parameters', () => {
    const meta = allureLabels(runs.abort);
    expect(meta.labels).toEqual([
      { name: 'epic', value: 'tri-region-tgw' },
      { name: 'feature', value: 'podFailure' },
      { name: 'story', value: 'jkt-total-outage' },
      // No severity on run-start: the most severe SLO that can fail the run decides.
      { name: 'severity', value: 'blocker' },
    ]);
    expect(meta.parameters).toEqual([
      { name: 'target', value: 'lab' },
      { name: 'run id', value: 'run-abort-3', excluded: true },
    ]);
    expect(allureLabels(runs.breach).labels).toContainEqual({ name: 'feature', value: 'partition' });
    expect(allureLabels(runs.inconclusive).labels).toContainEqual({ name: 'severity', value: 'normal' });
  });

  test('a severity recorded on run-start wins', () => {
    const withSeverity = runs.inconclusive.map((e) => (e.type === 'run-start' ? { ...e, severity: 'minor' } : e)) as JournalEntry[];
    expect(allureLabels(withSeverity).labels).toContainEqual({ name: 'severity', value: 'minor' });
  });

  test('applyAllureMetadata sends them through the allure-playwright runtime', async () => {
    const meta = allureLabels(runs.breach);
    await applyAllureMetadata(meta);
    const messages = test
      .info()
      .attachments.filter((a) => a.contentType === 'application/vnd.allure.message+json')
      .map((a) => JSON.parse(a.body!.toString()) as { type: string; data: Record<string, unknown> });
    const labels = messages.flatMap((m) => (m.data.labels as unknown[] | undefined) ?? []);
    const parameters = messages.flatMap((m) => (m.data.parameters as unknown[] | undefined) ?? []);
    expect(labels).toEqual(expect.arrayContaining(meta.labels));
    expect(parameters).toContainEqual(expect.objectContaining({ name: 'run id', value: 'run-breach-2', excluded: true }));
  });
});

test.describe('failure messages', () => {
  test('each outcome starts with its category prefix and names what broke', () => {
    expect(failureMessage(runs.pass)).toBeUndefined();
    expect(failureMessage(runs.breach)).toBe(
      `${FAILURE_PREFIX.sloBreach} 1 SLO failed in "tgw-partition-jkt-bdg": bdg read availability during partition observed 97.12%, objective ≥ 99.5%`,
    );
    expect(failureMessage(runs.abort)).toMatch(/^Guardrail abort: "jkt-total-outage" aborted at 41s: guardrail jkt availability floor 50% read 0\.08/);
    expect(failureMessage(runs.inconclusive)).toMatch(/^Inconclusive: .*bdg replica lag at most 7 s \(no service in region bdg/);
    const cut = runs.pass.filter((e) => e.type !== 'verdict');
    expect(failureMessage(cut)).toMatch(/^Harness error: .*ends without a verdict/);
  });
});

test.describe('a run refused at preflight', () => {
  const refused: JournalEntry[] = [
    { seq: 0, t: T0, type: 'run-start', runId: 'run-refused', scenario: 'typo-region', topology: 'tri-region-tgw', target: 'lab' },
    { seq: 1, t: T0 + 300, type: 'preflight', ok: false, problems: [{ code: 'FAULTLINE_UNKNOWN_NAME', message: 'unknown region "bdgg" in topology "tri-region-tgw"' }] },
    { seq: 2, t: T0 + 310, type: 'verdict', outcome: 'refused', exitCode: 2, reason: 'preflight refused the run' },
  ];

  test('still renders every attachment, and says why nothing ran', async ({ page }) => {
    expect(failureMessage(refused)).toBe('Preflight refused: "typo-region" injected nothing: [FAULTLINE_UNKNOWN_NAME] unknown region "bdgg" in topology "tri-region-tgw"');
    const list = reportAttachments(refused);
    expect(list.map((a) => a.name)).toEqual(['SLI chart', 'SLO table', 'SLO table (markdown)', 'journal']);
    const svg = list[0]!.body;
    expect(await parseXml(page, svg, 'image/svg+xml')).toBe(true);
    await page.setContent(svg);
    await expect(page.locator('rect.fault-window')).toHaveCount(0);
    await expect(page.getByText('no SLI series in the journal')).toHaveCount(1);
    expect(sloTableMarkdown(refused)).toContain('No SLO was judged.');
    const xml = junitXml([refused]);
    expect(await parseXml(page, xml, 'application/xml')).toBe(true);
    expect(xml).toContain('<error type="preflight-refused" message="Preflight refused: &quot;typo-region&quot; injected nothing');
  });
});

test.describe('JUnit XML', () => {
  test('one suite per scenario, one case per SLO; fail = failure, inconclusive = skipped, abort = error', async ({ page }) => {
    const xml = junitXml([runs.pass, runs.breach, runs.abort, runs.inconclusive]);
    expect(await parseXml(page, xml, 'application/xml')).toBe(true);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const attrs = (el: Element) => Object.fromEntries(['name', 'tests', 'failures', 'errors', 'skipped'].map((a) => [a, el.getAttribute(a)]));
      return {
        root: attrs(doc.documentElement),
        suites: Array.from(doc.querySelectorAll('testsuite')).map(attrs),
        failures: Array.from(doc.querySelectorAll('testcase > failure')).map((f) => f.parentElement!.getAttribute('name')),
        skipped: Array.from(doc.querySelectorAll('testcase > skipped')).map((f) => f.getAttribute('message')),
        errors: Array.from(doc.querySelectorAll('testcase > error')).map((f) => [f.parentElement!.getAttribute('name'), f.getAttribute('type')]),
      };
    }, xml);
    expect(parsed.root).toEqual({ name: 'faultline', tests: '12', failures: '2', errors: '1', skipped: '1' });
    expect(parsed.suites).toEqual([
      { name: 'jkt-pod-loss', tests: '4', failures: '0', errors: '0', skipped: '0' },
      // The informational write SLO failed but cannot fail the run: it passes, with a note.
      { name: 'tgw-partition-jkt-bdg', tests: '4', failures: '1', errors: '0', skipped: '0' },
      { name: 'jkt-total-outage', tests: '2', failures: '1', errors: '1', skipped: '0' },
      { name: 'bdg-replica-lag-5s', tests: '2', failures: '0', errors: '0', skipped: '1' },
    ]);
    expect(parsed.failures).toEqual(['bdg read availability during partition', 'jkt availability during outage']);
    expect(parsed.skipped).toEqual(['Inconclusive: bdg replica lag at most 7 s: no service in region bdg reported its replication lag']);
    expect(parsed.errors).toEqual([['guardrail: jkt availability floor 50%', 'guardrail-abort']]);
  });

  test('control characters from a tool cannot break the XML', async ({ page }) => {
    const noisy = runs.inconclusive.map((e) =>
      e.type === 'verdict' ? { ...e, outcome: 'error' as const, exitCode: 5, reason: 'k6 died: \u001b[31mpanic\u001b[0m <&>' } : e,
    );
    const xml = junitXml([noisy]);
    expect(await parseXml(page, xml, 'application/xml')).toBe(true);
    expect(xml).toContain('type="harness-error"');
  });
});

test.describe('verdict table', () => {
  test('failing runs first, failing SLOs first and marked; combined exit code', () => {
    const table = verdictTable([runs.pass, runs.inconclusive, runs.abort, runs.breach]);
    expect(table.exitCode).toBe(1);
    expect(table.outcome).toBe('failed');
    expect(table.runs.map((r) => r.scenario)).toEqual(['tgw-partition-jkt-bdg', 'jkt-total-outage', 'bdg-replica-lag-5s', 'jkt-pod-loss']);
    expect(table.counts).toEqual({ error: 0, interrupted: 0, refused: 0, failed: 1, aborted: 1, inconclusive: 1, passed: 1 });
    expect(table.runs[0]!.slos[0]).toMatchObject({ name: 'bdg read availability during partition', verdict: 'fail', observed: 97.12, observedText: '97.12%', objective: '≥ 99.5%' });

    const text = formatVerdictTable(table);
    const lines = text.split('\n');
    expect(lines[0]).toBe('faultline verdict: ✗ FAILED (exit 1), 4 game days: 1 failed, 1 aborted, 1 inconclusive, 1 passed');
    const failRow = lines.find((l) => l.includes('bdg read availability during partition') && l.includes('FAIL'))!;
    expect(failRow).toMatch(/^ {2}✗ FAIL +bdg read availability during partition +during +97\.12% +≥ 99\.5% +bdg read availability was 97\.12%, below 99\.5%$/);
    expect(text.indexOf('tgw-partition-jkt-bdg')).toBeLessThan(text.indexOf('jkt-pod-loss'));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}\? INCONCLUSIVE +bdg replica lag at most 7 s +during +no data +≤ 7s/));
    // A round trip through JSON is what --json prints.
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
  });

  test('an interrupted or crashed run outranks an SLO failure, as core combines exit codes', () => {
    const crashed = runs.pass.filter((e) => e.type !== 'verdict');
    const table = verdictTable([runs.breach, crashed]);
    expect(table.exitCode).toBe(5);
    expect(table.runs[0]!.outcome).toBe('error');
  });

  test('an interrupted run is its own outcome: exit 130, the Interrupted category, ranked above an SLO failure', () => {
    const interrupted = runs.pass.map((e) =>
      e.type === 'verdict' ? { ...e, outcome: 'interrupted' as const, exitCode: 130, reason: 'interrupted (SIGINT); every fault was reverted' } : e,
    );
    expect(failureMessage(interrupted)).toMatch(/^Interrupted: "jkt-pod-loss": interrupted \(SIGINT\)/);
    const table = verdictTable([runs.breach, interrupted]);
    expect(table.exitCode).toBe(130);
    expect(table.runs.map((r) => r.outcome)).toEqual(['interrupted', 'failed']);
    expect(table.counts.interrupted).toBe(1);
  });
});

test.describe('attachments and environment', () => {
  test('all artifacts in one list, journal redacted', () => {
    const list = reportAttachments(runs.pass);
    expect(list.map((a) => [a.name, a.contentType])).toEqual([
      ['SLI chart', 'image/svg+xml'],
      ['SLO table', 'text/html'],
      ['SLO table (markdown)', 'text/plain'],
      ['k6 summary', 'text/plain'],
      ['journal', 'application/json'],
    ]);
    const journal = list.find((a) => a.name === 'journal')!.body;
    expect(JSON.parse(journal)).toHaveLength(runs.pass.length);
    expect(journal).not.toContain('abcdefghijklmnop');
  });

  test('the journal attachment reads back as a journal', () => {
    const path = join(dir, 'attached-journal.json');
    writeFileSync(path, reportAttachments(runs.breach).find((a) => a.name === 'journal')!.body);
    expect(verdictTable([readJournalFile(path)]).runs[0]!.scenario).toBe('tgw-partition-jkt-bdg');
    expect(readJournalFile(join(dir, 'breach.jsonl'))).toEqual(runs.breach);
  });

  test('environment.properties merges runs, escapes for Java, and never holds secrets', () => {
    const results = join(dir, 'env-results');
    writeEnvironment(results, environmentFromJournals([runs.pass], { k6Version: 'v2.2.0', extra: { 'vault.token': 's.XYZ', 'kube.context': 'jkt-prod' } }));
    writeEnvironment(results, environmentFromJournals([runs.breach], { prometheusVersion: '2.42.0', extra: { note: 'jkt↔bdg' } }));
    const text = readFileSync(join(results, 'environment.properties'), 'latin1');
    expect(text).toContain('run.id=run-pass-1, run-breach-2\n');
    expect(text).toContain('target=lab\n');
    expect(text).toContain('k6.version=v2.2.0\n');
    expect(text).toContain('prometheus.version=2.42.0\n');
    expect(text).toMatch(/faultline\.version=\d+\.\d+\.\d+/);
    expect(text).toContain('note=jkt\\u2194bdg\n');
    expect(text).not.toContain('token');
    expect(text).not.toContain('s.XYZ');
  });
});
