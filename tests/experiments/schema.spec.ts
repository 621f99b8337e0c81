import { expect, test } from '@playwright/test';
import { SCHEMAS, schemaText, shippedSchemaText } from '../../experiments/schema/generate.ts';
import { shippedSchema } from '../../experiments/index.ts';

/*
 * The shipped JSON Schemas are generated from the TypeScript model (`npm run schema`). Others add fault kinds, SLO
 * kinds and scenario fields to core; the schema must follow by regeneration, never by hand. These tests compare the
 * shipped files with a fresh generation instead of listing kinds, so they stay true whatever core gains.
 */

for (const entry of SCHEMAS) {
  test(`experiments/schema/${entry.file} is what the model generates today (else run: npm run schema)`, () => {
    const fresh = schemaText(entry);
    const shipped = shippedSchemaText(entry);
    expect(shipped, `experiments/schema/${entry.file} is stale: run \`npm run schema\` and commit the result`).toBe(fresh);
  });
}

test('the staleness check can fail: a schema missing one fault kind differs from the generated one', () => {
  const entry = SCHEMAS.find((s) => s.type === 'ExperimentFile')!;
  const schema = JSON.parse(schemaText(entry)) as { definitions: { FaultStep: { anyOf: unknown[] } } };
  schema.definitions.FaultStep.anyOf.pop();
  expect(JSON.stringify(schema, null, 2) + '\n').not.toBe(shippedSchemaText(entry));
});

test('a file duration always carries its unit, in every place the model uses one', () => {
  const schema = shippedSchema('experiment') as { definitions: Record<string, { type?: string; pattern?: string }> };
  const duration = new RegExp(schema.definitions.Duration!.pattern!);
  for (const ok of ['90s', '500ms', '2m', '1h30m', '1.5s', '30d']) expect(duration.test(ok), ok).toBe(true);
  for (const bad of ['90', '', 's', '5 minutes', '1w']) expect(duration.test(bad), bad).toBe(false);
  expect(schema.definitions.Duration!.type).toBe('string');
});
