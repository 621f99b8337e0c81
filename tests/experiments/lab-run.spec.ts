import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { labDown, labUp } from '../../lab/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../../targets/index.ts';
import { runCli } from '../support/faultline-cli.ts';
import { EXAMPLES } from './support.ts';

/*
 * Experiment files end to end on the real embedded lab (its own ports, 23000-23099): the seed game day's example
 * file runs through `faultline run -f` and passes, with JUnit, Allure results and the resilience score; the negative
 * game day's file, bound through a topology file, fails with exit 1 and names the broken SLO with its observed
 * value, objective and reason. Heavy: run under the shared lock.
 */
const PORT_BASE = 23_000;
let dir: string;
let runDir: string;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(join(tmpdir(), 'faultline-files-lab-'));
  // mkdtemp makes 0700, and PostgreSQL runs as the postgres user, which must be able to enter the folder.
  chmodSync(dir, 0o755);
  runDir = join(dir, 'lab');
  await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase: PORT_BASE, runDir });
});
test.afterAll(async () => {
  test.setTimeout(120_000);
  await labDown({ runDir });
  rmSync(dir, { recursive: true, force: true });
});

test('the seed game day jkt-pod-loss, as its example file, runs on the lab and passes', async () => {
  test.setTimeout(600_000);
  const file = join(EXAMPLES, 'experiments', 'tri-region-tgw', 'jkt-pod-loss.yaml');
  const out = join(dir, 'pass');
  const result = await runCli(['run', '-f', file, '--run-dir', runDir, '--junit', join(out, 'junit.xml'), '--allure-results', join(out, 'allure'), '--json'], {
    FAULTLINE_SESSION_DIR: join(out, 'session'),
  });
  const table = JSON.parse(result.output.slice(result.output.indexOf('{\n'))) as {
    exitCode: number;
    runs: { scenario: string; outcome: string; slos: { name: string; verdict: string }[]; resilience: { score: number | null } }[];
    resilience: { topology: string; score: number | null }[];
  };
  expect(result.code, result.output).toBe(0);
  expect(table.runs[0]!.scenario).toBe('jkt-pod-loss');
  expect(table.runs[0]!.slos.map((s) => s.verdict)).toEqual(['pass', 'pass', 'pass', 'pass']);
  expect(table.runs[0]!.resilience.score).toBe(100);
  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  expect(junit.match(/<testcase /g)).toHaveLength(4);
  expect(readdirSync(join(out, 'allure')).filter((f) => f.endsWith('-result.json'))).toHaveLength(1);
});

test('the negative game day, as a file bound through a topology file, fails: exit 1, the SLO with observed, objective and reason', async () => {
  test.setTimeout(600_000);
  const topology = join(dir, 'shop.topology.yaml');
  writeFileSync(topology, readFileSync(join(EXAMPLES, 'topologies', 'tri-region-tgw.topology.yaml'), 'utf8'));
  const file = join(dir, 'outage.yaml');
  writeFileSync(file, readFileSync(join(EXAMPLES, 'experiments', 'tri-region-tgw', 'jkt-total-outage.yaml'), 'utf8').replace('topology: tri-region-tgw', 'topology: ./shop.topology.yaml'));
  const out = join(dir, 'fail');
  const result = await runCli(['run', '-f', file, '--run-dir', runDir, '--junit', join(out, 'junit.xml'), '--summary', join(out, 'summary.md')], {
    FAULTLINE_SESSION_DIR: join(out, 'session'),
  });
  expect(result.code, result.output).toBe(1);
  expect(result.output).toContain('✗ FAILED');
  expect(result.output).toMatch(/resilience score \d+\.\d\/100/);
  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  const failure = /<testcase name="jkt availability during outage"[^>]*>\s*<failure type="slo-breach" message="([^"]*)">([^<]*)<\/failure>/.exec(junit);
  expect(failure, junit).not.toBeNull();
  expect(failure![1]).toMatch(/observed [\d.]+%, objective ≥ 99%/);
  expect(failure![2]).toMatch(/observed .*objective .*\. .+/);
  expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/^## faultline: exit 1, an SLO failed/);
});
