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
const ITERATIONS = Number(process.env.FAULTLINE_FUZZ_ITERATIONS ?? 600);

interface Outcome {
  accepted: boolean;
  what: string;
  text: string;
  file: string;
  /** Every way this outcome breaks the loader's contract, each naming the mutation; empty when it kept it. */
  breaches: string[];
}

/*
 * The contract is checked with plain comparisons that collect breaches, and each test asserts the collection with
 * one expect. Inside a Playwright worker every expect() call is a reported test step with a captured, source-mapped
 * stack: timed in the worker, 100 mutations spent 1.7 s in the loader and 5.8 s in their 3,280 expect() calls, and
 * one expect per field per problem made the steps, not the loader, nearly all of this suite's minutes. Every outcome
 * is still checked for the same properties; a failure lists every breaching mutation at once.
 */
function fuzzOne(random: () => number, seeds: { file: string; text: string }[]): Outcome {
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
  const breaches: string[] = [];
  const check = (ok: boolean, breach: string) => ok || breaches.push(`${breach} after ${what}`);
  try {
    const loaded = compileExperimentSource(parseSource(seed.file, text));
    const invalid = validateScenario(loaded.scenario, loaded.targets.topology);
    check(invalid.length === 0, `accepted but invalid (${invalid.map((p) => p.message).join('; ')})`);
    return { accepted: true, what, text, file: seed.file, breaches };
  } catch (e) {
    if (!(e instanceof PreflightError)) throw new Error(`unhandled ${(e as Error)?.name}: ${(e as Error)?.message} after ${what}\n--- text ---\n${text}`, { cause: e });
    check(e.problems.length > 0, 'a PreflightError with no problems');
    const lines = text.split('\n').length;
    for (const p of e.problems) {
      if (!(p instanceof FileProblem)) {
        check(false, `not a FileProblem: ${p.message}`);
        continue;
      }
      const { line, column } = p.position;
      check(line >= 1 && line <= lines + 1, `line ${line} outside 1..${lines + 1}: ${p.message}`);
      check(column >= 1, `column ${column} < 1: ${p.message}`);
      check(p.problem.length > 0, `an empty problem: ${p.message}`);
    }
    return { accepted: false, what, text, file: seed.file, breaches };
  }
}

test(`the loader survives ${ITERATIONS} seeded mutations of the example files (seed ${SEED})`, () => {
  const seeds = exampleExperiments().map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const random = prng(SEED);
  let accepted = 0;
  const breaches: string[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const outcome = fuzzOne(random, seeds);
    if (outcome.accepted) accepted++;
    breaches.push(...outcome.breaches);
  }
  expect(breaches).toEqual([]);
  // Both sides must be exercised, or the fuzzer proves nothing about one of them.
  expect(accepted).toBeGreaterThan(0);
  expect(ITERATIONS - accepted).toBeGreaterThan(ITERATIONS / 2);
  console.log(`fuzz: ${ITERATIONS} mutations (seed ${SEED}): ${ITERATIONS - accepted} refused with file positions, ${accepted} still valid`);
});

test('the same seed gives the same mutations (reproducible)', () => {
  const seeds = exampleExperiments().map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const run = () => Array.from({ length: 50 }, ((r) => () => fuzzOne(r, seeds))(prng(SEED)));
  const first = run();
  expect(first.flatMap((o) => o.breaches)).toEqual([]);
  expect(run().map((o) => o.what)).toEqual(first.map((o) => o.what));
});

test('through the real CLI, refused mutations exit 2 and start nothing', async () => {
  const seeds = exampleExperiments().map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const random = prng(SEED + 1);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-fuzz-cli-'));
  try {
    const mutants: { file: string; what: string }[] = [];
    const breaches: string[] = [];
    while (mutants.length < 12) {
      const outcome = fuzzOne(random, seeds);
      breaches.push(...outcome.breaches);
      if (outcome.accepted) continue;
      const file = join(dir, `mutant-${mutants.length + 1}.yaml`);
      writeFileSync(file, outcome.text);
      mutants.push({ file, what: outcome.what });
    }
    expect(breaches).toEqual([]);
    // One CLI process given every mutant: `run` loads every -f file before it starts anything and refuses the whole
    // command with each file's problems, so one spawn shows, for every mutant, its file:line:col refusal, no internal
    // error (any other exception aborts the load), exit 2 and nothing started; twelve spawns proved no more and cost
    // a tsx start (~3 s in CI) each.
    const result = await runCli(['run', ...mutants.flatMap((m) => ['-f', m.file]), '--run-dir', join(dir, 'lab')], { FAULTLINE_SESSION_DIR: join(dir, 'session') });
    const all = mutants.map((m) => m.what).join('\n');
    expect(result.code, `${all}\n${result.output}`).toBe(2);
    expect(result.output, all).not.toContain('internal error');
    for (const [i, m] of mutants.entries()) expect(result.output, m.what).toMatch(new RegExp(`/mutant-${i + 1}\\.yaml:\\d+:\\d+: `));
    expect(existsSync(join(dir, 'lab')) || existsSync(join(dir, 'session')), all).toBe(false);
    expect(readdirSync(dir).every((f) => f.startsWith('mutant-'))).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
