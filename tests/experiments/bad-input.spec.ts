import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runCli } from '../support/faultline-cli.ts';
import { EXAMPLES } from './support.ts';

/*
 * Bad input through the real CLI: exit 2, the file, line and field, a hint, and nothing started. "Nothing started"
 * is checked on disk: the run has its own lab folder and session folder, and neither exists afterwards (a run that
 * got past the loader would at least look for the lab and write a journal).
 */

let dir: string;
test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-bad-input-'));
});
test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

const seed = () => readFileSync(join(EXAMPLES, 'experiments', 'tri-region-tgw', 'jkt-pod-loss.yaml'), 'utf8');

async function refused(name: string, text: string, args: string[] = []) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const lab = join(dir, 'lab');
  const session = join(dir, 'session');
  const result = await runCli(['run', '-f', file, '--run-dir', lab, ...args], { FAULTLINE_SESSION_DIR: session });
  expect(result.code, result.output).toBe(2);
  expect(existsSync(lab), 'a lab folder appeared: something started').toBe(false);
  expect(existsSync(session), 'a session folder appeared: a run started').toBe(false);
  expect(readdirSync(dir)).toEqual([name]);
  return result.output;
}

test('a file that is not YAML: its line, and what to fix', async () => {
  const out = await refused('broken.yaml', 'name: x\nload: [unclosed\nfaults:\n  - kind: podKill\n');
  expect(out).toMatch(/broken\.yaml:\d+:\d+: not valid YAML or JSON/);
  expect(out).toContain('→ fix the syntax at that line');
});

test('a file that is YAML but not an experiment (a plain sentence)', async () => {
  const out = await refused('prose.yaml', 'partition jkt from bdg for two minutes please\n');
  expect(out).toContain('prose.yaml:1:1: must be an object, got the text "partition jkt from bdg for two minutes please"');
  expect(out).toContain('→ an experiment file is a mapping of fields');
});

test('a field of the wrong type', async () => {
  const out = await refused('wrong-type.yaml', seed().replace('  writeRatio: 0.2', '  writeRatio: lots'));
  expect(out).toMatch(/wrong-type\.yaml:\d+:15: load\.writeRatio: must be a number, got the text "lots"/);
  expect(out).toContain('→ write it as a number');
});

test('an unknown fault kind, with the kinds the schema knows and the closest one', async () => {
  const out = await refused('unknown-kind.yaml', seed().replace('- kind: podKill', '- kind: podKil'));
  expect(out).toMatch(/unknown-kind\.yaml:\d+:11: faults\[0\]\.kind: unknown fault kind "podKil"/);
  expect(out).toMatch(/→ use one of: podKill, podFailure, .*partition.*; did you mean "podKill"\?/);
});

test('a duration without a unit', async () => {
  const out = await refused('no-unit.yaml', seed().replace('for: 60s', 'for: 60'));
  expect(out).toMatch(/no-unit\.yaml:\d+:10: faults\[0\]\.for: 60 is not a duration with a unit/);
  expect(out).toContain("→ write a number with its unit: '500ms', '90s', '2m' or '1h30m'");
});

test('a topology file whose links name unknown regions: the topology file, its line and field', async () => {
  const topology = readFileSync(join(EXAMPLES, 'topologies', 'tri-region-tgw.topology.yaml'), 'utf8').replace(/between:\n(\s+)- bdg\n(\s+)- sby/, 'between:\n$1- bdg\n$2- sbx');
  writeFileSync(join(dir, 'shop.topology.yaml'), topology);
  const file = join(dir, 'exp.yaml');
  writeFileSync(file, seed().replace('topology: tri-region-tgw', 'topology: ./shop.topology.yaml'));
  const result = await runCli(['run', '-f', file, '--run-dir', join(dir, 'lab')], { FAULTLINE_SESSION_DIR: join(dir, 'session') });
  expect(result.code, result.output).toBe(2);
  expect(result.output).toMatch(/shop\.topology\.yaml:\d+:\d+: links\[2\]\.between\[1\]: link "tgw-bdg-sby": region "sbx" does not exist/);
  expect(result.output).toContain('→ every region named here must be one of regions[].name');
  expect(readdirSync(dir).sort()).toEqual(['exp.yaml', 'shop.topology.yaml']);
});

test('a name the topology does not have (semantic, after the schema): the field that holds it', async () => {
  const out = await refused('unknown-service.yaml', seed().replace('service: service-main', 'service: service-mian'));
  expect(out).toMatch(/unknown-service\.yaml:\d+:14: faults\[0\]\.service: fault "pod-kill-jkt-service-mian": unknown service "service-mian"/);
  expect(out).toContain('→ use one of: service-main, service-backup');
});

test('a schedule with an invalid cron expression is refused by run and validate too', async () => {
  const out = await refused('cron.yaml', `${seed()}schedule:\n  cron: "*/5 * * * * *"\n`);
  expect(out).toMatch(/cron\.yaml:\d+:9: schedule\.cron: "\*\/5 \* \* \* \* \*" is not a valid cron expression: a cron expression has 5 fields/);
  const validate = await runCli(['validate', '-f', join(dir, 'cron.yaml'), '--json']);
  expect(validate.code).toBe(2);
  const report = JSON.parse(validate.output) as { ok: boolean; scenarios: { problems: { line: number; field: string; hint: string }[] }[] };
  expect(report.ok).toBe(false);
  expect(report.scenarios[0]!.problems[0]).toMatchObject({ field: 'schedule.cron', hint: expect.stringContaining('five fields') });
});

test('every problem of a file in one pass, in line order', async () => {
  const text = seed().replace('- kind: podKill', '- kind: podKil').replace('  writeRatio: 0.2', '  writeRatio: lots').replace('objective: 500ms', 'objective: 500');
  const out = await refused('many.yaml', text);
  const lines = [...out.matchAll(/many\.yaml:(\d+):/g)].map((m) => Number(m[1]));
  expect(lines.length).toBe(3);
  expect(lines).toEqual([...lines].sort((a, b) => a - b));
});
