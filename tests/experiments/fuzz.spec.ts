import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PreflightError, validateScenario } from '../../core/index.ts';
import { compileExperimentSource, FileProblem, parseSource } from '../../experiments/index.ts';
import { runCli } from '../support/faultline-cli.ts';
import { mutate, prng } from './mutate.ts';
import { exampleExperiments, rel } from './support.ts';

/*
 * Fuzzing the experiment-file loader with random mutations of the example files, seeded and reproducible:
 * FAULTLINE_FUZZ_SEED and FAULTLINE_FUZZ_ITERATIONS change them (npm run bench:experiments prints the rate).
 * The loader must never throw anything but a PreflightError of FileProblems (file, line ≥ 1, field, message), and a
 * file it accepts must be a scenario core's validation accepts. Through the real CLI, a sample of refused mutations
 * exits 2 and starts nothing.
 */
const SEED = Number(process.env.FAULTLINE_FUZZ_SEED ?? 20_261_130);
// Inside a Playwright worker each iteration costs ~10× what it does in plain Node (error stacks are source-mapped), so the
// suite runs a modest count; the benchmark runs thousands.
const ITERATIONS = Number(process.env.FAULTLINE_FUZZ_ITERATIONS ?? 600);

interface Outcome {
  accepted: boolean;
  what: string;
}

function fuzzOne(random: () => number, seeds: { file: string; text: string }[]): Outcome & { text: string; file: string } {
  const seed = seeds[Math.floor(random() * seeds.length)]!;
  let text = seed.text;
  const steps: string[] = [];
  const rounds = 1 + Math.floor(random() * 3);
  for (let i = 0; i < rounds; i++) {
    const m = mutate(text, random);
    text = m.text;
    steps.push(m.what);
  }
  const what = `${rel(seed.file)}: ${steps.join('; ')}`;
  try {
    const loaded = compileExperimentSource(parseSource(seed.file, text));
    expect(validateScenario(loaded.scenario, loaded.targets.topology), `accepted but invalid after ${what}`).toEqual([]);
    return { accepted: true, what, text, file: seed.file };
  } catch (e) {
    if (!(e instanceof PreflightError)) throw new Error(`unhandled ${(e as Error)?.name}: ${(e as Error)?.message} after ${what}\n--- text ---\n${text}`, { cause: e });
    expect(e.problems.length, what).toBeGreaterThan(0);
    const lines = text.split('\n').length;
    for (const p of e.problems) {
      expect(p, `not a FileProblem after ${what}: ${p.message}`).toBeInstanceOf(FileProblem);
      const fp = p as FileProblem;
      expect(fp.position.line, what).toBeGreaterThanOrEqual(1);
      expect(fp.position.line, what).toBeLessThanOrEqual(lines + 1);
      expect(fp.position.column, what).toBeGreaterThanOrEqual(1);
      expect(fp.problem.length, what).toBeGreaterThan(0);
    }
    return { accepted: false, what, text, file: seed.file };
  }
}

test(`the loader survives ${ITERATIONS} seeded mutations of the example files (seed ${SEED})`, () => {
  test.setTimeout(240_000);
  const seeds = exampleExperiments().map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const random = prng(SEED);
  let accepted = 0;
  for (let i = 0; i < ITERATIONS; i++) if (fuzzOne(random, seeds).accepted) accepted++;
  // Both sides must be exercised, or the fuzzer proves nothing about one of them.
  expect(accepted).toBeGreaterThan(0);
  expect(ITERATIONS - accepted).toBeGreaterThan(ITERATIONS / 2);
  console.log(`fuzz: ${ITERATIONS} mutations (seed ${SEED}): ${ITERATIONS - accepted} refused with file positions, ${accepted} still valid`);
});

test('the same seed gives the same mutations (reproducible)', () => {
  const seeds = exampleExperiments().map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const run = () => Array.from({ length: 50 }, ((r) => () => fuzzOne(r, seeds).what)(prng(SEED)));
  expect(run()).toEqual(run());
});

test('through the real CLI, refused mutations exit 2 and start nothing', async () => {
  test.setTimeout(180_000);
  const seeds = exampleExperiments().map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const random = prng(SEED + 1);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-fuzz-cli-'));
  try {
    let tried = 0;
    while (tried < 12) {
      const outcome = fuzzOne(random, seeds);
      if (outcome.accepted) continue;
      tried++;
      const file = join(dir, `mutant-${tried}.yaml`);
      writeFileSync(file, outcome.text);
      const result = await runCli(['run', '-f', file, '--run-dir', join(dir, 'lab')], { FAULTLINE_SESSION_DIR: join(dir, 'session') });
      expect(result.code, `${outcome.what}\n${result.output}`).toBe(2);
      expect(result.output, outcome.what).toMatch(new RegExp(`mutant-${tried}\\.yaml:\\d+:\\d+: `));
      expect(result.output, outcome.what).not.toContain('internal error');
      expect(existsSync(join(dir, 'lab')) || existsSync(join(dir, 'session')), outcome.what).toBe(false);
    }
    expect(readdirSync(dir).every((f) => f.startsWith('mutant-'))).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
