import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { EXIT_CODE_MEANING, toolsBinDir } from '../../core/index.ts';
import { EXAMPLES, ROOT } from './support.ts';

/*
 * The example release-gate workflow: actionlint (built by scripts/setup.sh) finds nothing wrong with it, and can
 * find something wrong with a broken copy; its gate and verdict steps, run here with bash against the real CLI,
 * record the exit code and fail the job with that code's meaning from core/exit-codes.ts.
 */
const WORKFLOWS = join(EXAMPLES, 'ci');
const actionlint = () => {
  const bin = join(toolsBinDir(), 'actionlint');
  expect(existsSync(bin), `${bin} is missing: run npm run setup (it builds actionlint from its Go module)`).toBe(true);
  return bin;
};

test('actionlint passes every example workflow', () => {
  const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
  expect(files.length).toBeGreaterThan(0);
  const out = spawnSync(actionlint(), ['-no-color', ...files.map((f) => join(WORKFLOWS, f))], { encoding: 'utf8' });
  expect(out.status, out.stdout + out.stderr).toBe(0);
});

test('actionlint is really checking: a step output that does not exist and a bad runner label are reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-actionlint-'));
  try {
    const broken = readFileSync(join(WORKFLOWS, 'release-gate.yml'), 'utf8').replace('steps.gate.outputs.code', 'steps.gaet.outputs.code').replace('runs-on: ubuntu-24.04', 'runs-on: ubuntu-24.40');
    const file = join(dir, 'broken.yml');
    writeFileSync(file, broken);
    const out = spawnSync(actionlint(), ['-no-color', file], { encoding: 'utf8' });
    expect(out.status).not.toBe(0);
    expect(out.stdout).toContain('gaet');
    expect(out.stdout).toContain('ubuntu-24.40');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

type Step = { id?: string; name?: string; run?: string; env?: Record<string, string> };

test('the gate step records the exit code and its meaning, and the last step fails the job with them', () => {
  const workflow = parse(readFileSync(join(WORKFLOWS, 'release-gate.yml'), 'utf8')) as { jobs: { gate: { steps: Step[] } } };
  const steps = workflow.jobs.gate.steps;
  const gate = steps.find((s) => s.id === 'gate')!;
  const verdict = steps.find((s) => s.name?.startsWith('Fail the job'))!;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-gate-'));
  try {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: gate\ntopology: tri-region-tgw\nfaults: nope\n');
    const env = {
      ...process.env,
      FAULTLINE: `node ${join(ROOT, 'bin', 'faultline.mjs')}`,
      EXPERIMENTS: bad,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'step-summary.md'),
      FAULTLINE_SESSION_DIR: join(dir, 'session'),
    };
    execFileSync('bash', ['-e', '-c', gate.run!], { cwd: dir, env, stdio: 'pipe' });
    const outputs = Object.fromEntries(readFileSync(env.GITHUB_OUTPUT, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
    expect(outputs.code).toBe('2');
    expect(outputs.meaning).toBe(`exit 2, ${EXIT_CODE_MEANING[2]}`);
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain(`## faultline: exit 2, ${EXIT_CODE_MEANING[2]}`);
    expect(summary).toMatch(/bad\.yaml:3:9: faults: must be an array/);

    const last = spawnSync('bash', ['-e', '-c', verdict.run!], { env: { ...env, CODE: outputs.code, MEANING: outputs.meaning }, encoding: 'utf8' });
    expect(last.status).toBe(2);
    expect(last.stdout).toContain(`::error title=Resilience gate failed::exit 2, ${EXIT_CODE_MEANING[2]}`);
    const none = spawnSync('bash', ['-e', '-c', verdict.run!], { env: { ...env, CODE: '', MEANING: '' }, encoding: 'utf8' });
    expect(none.status, 'a gate that never ran must not pass').toBe(5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
