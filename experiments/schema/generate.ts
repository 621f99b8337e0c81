import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator, type Config } from 'ts-json-schema-generator';

/**
 * The JSON Schemas of experiment and topology files, generated from the TypeScript types the loader compiles
 * (experiments/experiment-file.ts, experiments/topology-file.ts), which name core's model types. A fault kind, SLO
 * kind or scenario field added to core reaches the schema by running `npm run schema`; the schema test fails while
 * the shipped files are stale. Nothing here is written by hand except the rules below, applied to what is generated.
 */

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** The shipped schemas, by the type each is generated from. */
export const SCHEMAS = [
  { type: 'ExperimentFile', source: '../experiment-file.ts', file: 'experiment.schema.json', title: 'faultline experiment' },
  { type: 'TopologyFile', source: '../topology-file.ts', file: 'topology.schema.json', title: 'faultline topology and bindings' },
] as const;

/**
 * The one rule a file adds to the model: a duration carries its unit. The model also takes a bare number of
 * milliseconds, which is natural in TypeScript and a trap in a file (`for: 90` would be 90 ms).
 */
export const FILE_DURATION = {
  type: 'string',
  pattern: '^\\s*(\\d+(\\.\\d+)?(ms|s|m|h|d))+\\s*$',
  description: "A duration with its unit: '500ms', '90s', '2m', '1h30m', '30d' (an SLO period).",
};

export function generateSchema(entry: (typeof SCHEMAS)[number]): Record<string, unknown> {
  const config: Config = {
    path: here(entry.source),
    tsconfig: here('../../tsconfig.json'),
    type: entry.type,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    // Unknown fields are errors: a misspelt field must never be silently ignored.
    additionalProperties: false,
    sortProps: true,
    // tsc checks the code; the generator only reads the types.
    skipTypeCheck: true,
  };
  const schema = createGenerator(config).createSchema(entry.type) as Record<string, unknown> & { definitions?: Record<string, unknown> };
  if (schema.definitions?.Duration) schema.definitions.Duration = FILE_DURATION;
  return { $id: `https://faultline.dev/schema/${entry.file}`, title: entry.title, ...schema };
}

/** The file's text exactly as the repository ships it. */
export function schemaText(entry: (typeof SCHEMAS)[number]): string {
  return JSON.stringify(generateSchema(entry), null, 2) + '\n';
}

export function shippedSchemaText(entry: (typeof SCHEMAS)[number]): string {
  return readFileSync(here(entry.file), 'utf8');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const entry of SCHEMAS) {
    writeFileSync(here(entry.file), schemaText(entry));
    process.stdout.write(`wrote experiments/schema/${entry.file}\n`);
  }
}
