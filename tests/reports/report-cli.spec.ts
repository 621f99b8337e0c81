import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { reportAttachments, type VerdictTable } from '../../reports/index.ts';
import { abortRun, breachRun, passingRun } from './sample-journals.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-report-cli-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));
passingRun(dir);
breachRun(dir);
abortRun(dir);
const journal = (name: string) => join(dir, `${name}.jsonl`);

/** The real command line, as a user or CI runs it. */
function faultline(...args: string[]) {
  const run = spawnSync(process.execPath, ['bin/faultline.mjs', 'report', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('prints the verdict table of several journals and exits with their combined code', () => {
  const { code, stdout } = faultline('--journal', journal('passing'), '--journal', journal('breach'));
  expect(code).toBe(1);
  const lines = stdout.split('\n');
  expect(lines[0]).toBe('faultline verdict: ✗ FAILED (exit 1), 2 game days: 1 failed, 1 passed');
  expect(lines[2]).toMatch(/^✗ FAILED {2}tgw-partition-jkt-bdg/);
  expect(stdout).toMatch(/✗ FAIL +bdg read availability during partition +during +97\.12% +≥ 99\.5%/);
});

test('--json prints the same table as data; --junit writes the XML', () => {
  const junit = join(dir, 'out', 'junit.xml');
  const { code, stdout } = faultline('--journal', journal('abort'), '--json', '--junit', junit);
  expect(code).toBe(3);
  const table = JSON.parse(stdout) as VerdictTable;
  expect(table).toMatchObject({ outcome: 'aborted', exitCode: 3, runs: [{ scenario: 'jkt-total-outage' }] });
  expect(readFileSync(junit, 'utf8')).toContain('<error type="guardrail-abort"');
});

test('accepts the journal attachment downloaded from the report', () => {
  const attached = join(dir, 'attached.json');
  const entries = passingRun(join(dir, 'again'));
  writeFileSync(attached, reportAttachments(entries).find((a) => a.name === 'journal')!.body);
  const { code, stdout } = faultline('--journal', attached);
  expect(code).toBe(0);
  expect(stdout).toMatch(/^faultline verdict: ✓ PASSED \(exit 0\)/);
});

/** A results dir holding the smallest result allure-playwright writes for a failed game day. */
function minimalResults(name: string): string {
  const results = join(dir, name);
  mkdirSync(results, { recursive: true });
  writeFileSync(
    join(results, 'a1-result.json'),
    JSON.stringify({
      uuid: 'a1',
      name: 'tgw-partition-jkt-bdg',
      fullName: 'game-days.spec.ts:2:1',
      historyId: 'h1',
      status: 'failed',
      statusDetails: { message: 'Error: SLO breach: bdg read availability during partition observed 97.12%' },
      stage: 'finished',
      steps: [],
      attachments: [],
      parameters: [],
      labels: [],
      links: [],
      start: 1,
      stop: 2,
    }),
  );
  return results;
}

test('regenerates the HTML report from a results dir and says where it is', () => {
  const results = minimalResults('results');
  const out = join(dir, 'html');
  const { code, stdout, stderr } = faultline('--results', results, '--out', out);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain(`Allure report: ${join(out, 'index.html')}`);
  expect(existsSync(join(out, 'index.html'))).toBe(true);
  // Results from a plain playwright run got the categories the report needs.
  expect(readFileSync(join(out, 'data', 'categories.json'), 'utf8')).toContain('"name":"SLO breach"');
});

test('--open serves the regenerated report on 127.0.0.1 until stopped', async () => {
  const results = minimalResults('results-open');
  const child = spawn(process.execPath, ['bin/faultline.mjs', 'report', '--results', results, '--out', join(dir, 'html-open'), '--open', '--port', '19311'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await expect.poll(() => output, { timeout: 60_000 }).toContain('Server started at <http://127.0.0.1:19311>');
    const page = await fetch('http://127.0.0.1:19311/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Allure Report');
  } finally {
    // The node CLI and the Java server it started form one process group.
    process.kill(-child.pid!, 'SIGTERM');
  }
});

test('bad input is refused with exit 2 and a hint', () => {
  const empty = faultline('--results', join(dir, 'nothing-here'), '--out', join(dir, 'never'));
  expect(empty.code).toBe(2);
  expect(empty.stderr).toContain('FAULTLINE_BAD_INPUT');
  expect(empty.stderr).toContain('npm run gameday');

  const mixed = faultline('--journal', journal('passing'), '--open');
  expect(mixed.code).toBe(2);
  expect(mixed.stderr).toContain('run them as two commands');

  const missing = faultline('--journal', join(dir, 'missing.jsonl'));
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('cannot read the journal');

  const unknown = faultline('--colour');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('see: faultline report --help');
});

test('--help teaches both forms', () => {
  const { code, stdout } = faultline('--help');
  expect(code).toBe(0);
  expect(stdout).toContain('faultline report [--results DIR] [--out DIR]');
  expect(stdout).toContain('faultline report --journal FILE');
  expect(stdout).toContain('Examples:');
});
