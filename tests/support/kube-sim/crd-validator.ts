import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/**
 * Where the official CRDs live: Chaos Mesh's vendored for the tests (tests/fixtures/crds/PROVENANCE.md), and
 * k6-operator's TestRun, which the loopback clusters install too (kube/crds/PROVENANCE.md).
 */
export const VENDORED_CRDS = [fileURLToPath(new URL('../../fixtures/crds/', import.meta.url)), fileURLToPath(new URL('../../../kube/crds/', import.meta.url))];

type Schema = Record<string, unknown>;

/**
 * Validates objects against CustomResourceDefinition schemas the way an API server does, plus strict field
 * validation: an unknown field is an error, not silently pruned, so a misspelt field cannot pass a test.
 * CEL rules (`x-kubernetes-validations`) are not evaluated; none of the vendored kinds faultline generates use them.
 */
export class CrdValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(crdFiles: string[]) {
    const ajv = new Ajv({ strict: false, allErrors: true, formats: KUBE_FORMATS });
    ajv.addKeyword({
      keyword: 'x-kubernetes-int-or-string',
      schemaType: 'boolean',
      validate: (on: boolean, data: unknown) => !on || Number.isInteger(data) || typeof data === 'string',
      errors: false,
    });
    for (const k of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-embedded-resource', 'x-kubernetes-validations']) {
      ajv.addKeyword({ keyword: k });
    }
    for (const file of crdFiles) {
      const crd = parse(readFileSync(file, 'utf8')) as {
        spec: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema: Schema } }[] };
      };
      for (const v of crd.spec.versions) {
        if (!v.schema) continue;
        this.validators.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, ajv.compile(strictFields(v.schema.openAPIV3Schema)));
      }
    }
  }

  /** Every `.yaml` CRD under a folder, recursively. Default: the vendored ones. */
  static fromDirectory(dirs: string | string[] = VENDORED_CRDS): CrdValidator {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.yaml')) files.push(join(d, e.name));
      }
    };
    for (const dir of [dirs].flat()) walk(dir);
    return new CrdValidator(files);
  }

  /** The `apiVersion/kind` pairs this validator knows. */
  kinds(): string[] {
    return [...this.validators.keys()];
  }

  knows(apiVersion: string, kind: string): boolean {
    return this.validators.has(`${apiVersion}/${kind}`);
  }

  /** Violations as `spec.mode: must be equal to one of the allowed values`; empty when valid. */
  validate(obj: { apiVersion?: unknown; kind?: unknown }): string[] {
    const validate = this.validators.get(`${String(obj.apiVersion)}/${String(obj.kind)}`);
    if (!validate) return [`no schema for ${String(obj.apiVersion)} ${String(obj.kind)}`];
    if (validate(obj)) return [];
    return (validate.errors ?? []).map((e) => {
      const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
      const extra =
        e.keyword === 'additionalProperties'
          ? `: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`
          : e.keyword === 'enum'
            ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
            : '';
      return `${path}: ${e.message ?? e.keyword}${extra}`;
    });
  }
}

/**
 * Closes every object schema that lists its properties, unless it opts into unknown fields. Also turns OpenAPI 3.0's
 * boolean `exclusiveMinimum`/`exclusiveMaximum` (Chaos Mesh's Schedule CRD has them) into JSON Schema's numeric form.
 */
function strictFields(schema: Schema): Schema {
  const out: Schema = { ...schema };
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(Object.entries(out.properties as Record<string, Schema>).map(([k, v]) => [k, strictFields(v)]));
    if (out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  }
  if (out.items && typeof out.items === 'object') out.items = strictFields(out.items as Schema);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = strictFields(out.additionalProperties as Schema);
  return out;
}

const INT32 = 2 ** 31;
const KUBE_FORMATS = {
  int32: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 },
  int64: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
};
