import { readFileSync } from 'node:fs';
import { PreflightError } from '../core/index.ts';
import { compileExperimentSource, FileProblem, loadExperiment, parseSource } from '../experiments/index.ts';
import { SCHEMAS, schemaText } from '../experiments/schema/generate.ts';
import { mutate, prng } from '../tests/experiments/mutate.ts';
import { exampleExperiments } from '../tests/experiments/support.ts';

/*
 * Experiment files: how fast the loader reads, checks and compiles a file (cold, with the schema compile, then
 * warm), how fast it refuses a bad one with positions, the fuzzer's rate and outcome split, and the schema
 * generation time. Prints numbers; asserts nothing but the fuzz property (no unhandled error).
 *   npm run bench:experiments                    FAULTLINE_FUZZ_SEED / FAULTLINE_FUZZ_ITERATIONS to vary
 */
const seed = Number(process.env.FAULTLINE_FUZZ_SEED ?? 20_261_130);
const iterations = Number(process.env.FAULTLINE_FUZZ_ITERATIONS ?? 5000);
const files = exampleExperiments();
const texts = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));

const ms = (t0: number) => performance.now() - t0;
let t0 = performance.now();
loadExperiment(files[0]!);
const cold = ms(t0);

function rate(label: string, fn: () => void, seconds = 3): void {
  const start = performance.now();
  let n = 0;
  while (ms(start) < seconds * 1000) {
    fn();
    n++;
  }
  const elapsed = ms(start);
  console.log(`${label.padEnd(44)} ${(n / (elapsed / 1000)).toFixed(0).padStart(6)} files/s   ${(elapsed / n).toFixed(2)} ms each`);
}

console.log(`experiment loader (${files.length} example files)`);
console.log(`${'first load, cold (schema compile included)'.padEnd(44)} ${cold.toFixed(0).padStart(6)} ms`);
let i = 0;
rate('valid example files (parse, schema, compile, validate)', () => loadExperiment(files[i++ % files.length]!));
const bad = texts.map((t) => ({ ...t, text: t.text.replace(/- kind: \w+/, '- kind: bogusKind').replace('writeRatio: 0.2', 'writeRatio: lots') }));
rate('invalid files refused with file:line (2 problems)', () => {
  const t = bad[i++ % bad.length]!;
  try {
    compileExperimentSource(parseSource(t.file, t.text));
  } catch (e) {
    if (!(e instanceof PreflightError)) throw e;
  }
});

const random = prng(seed);
const outcomes = { accepted: 0, refused: 0, problems: 0 };
t0 = performance.now();
for (let k = 0; k < iterations; k++) {
  const base = texts[Math.floor(random() * texts.length)]!;
  let text = base.text;
  const rounds = 1 + Math.floor(random() * 3);
  for (let r = 0; r < rounds; r++) text = mutate(text, random).text;
  try {
    compileExperimentSource(parseSource(base.file, text));
    outcomes.accepted++;
  } catch (e) {
    if (!(e instanceof PreflightError) || !e.problems.every((p) => p instanceof FileProblem)) {
      console.error(`UNHANDLED after mutation ${k} (seed ${seed}):`, e);
      process.exitCode = 1;
      break;
    }
    outcomes.refused++;
    outcomes.problems += e.problems.length;
  }
}
const fuzzMs = ms(t0);
console.log(`\nfuzz (seed ${seed}): ${iterations} mutated files in ${(fuzzMs / 1000).toFixed(1)} s = ${(iterations / (fuzzMs / 1000)).toFixed(0)}/s; ` +
  `${outcomes.refused} refused (${(outcomes.problems / Math.max(1, outcomes.refused)).toFixed(1)} problems each, all with file positions), ${outcomes.accepted} still valid, 0 unhandled`);

for (const entry of SCHEMAS) {
  t0 = performance.now();
  const text = schemaText(entry);
  console.log(`schema generation ${entry.file.padEnd(24)} ${ms(t0).toFixed(0).padStart(6)} ms, ${(text.length / 1024).toFixed(0)} KiB`);
}
