import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

/** The Kubernetes built-in types faultline generates, from the official OpenAPI v3 (tests/fixtures/kubernetes/PROVENANCE.md). */
export const KUBERNETES_OPENAPI = fileURLToPath(new URL('../fixtures/kubernetes/openapi-v1.33.13-subset.json', import.meta.url));

type Schema = Record<string, unknown>;

/** Which OpenAPI schema describes each `apiVersion/kind`. */
const KINDS: Record<string, string> = {
  'batch/v1/CronJob': 'io.k8s.api.batch.v1.CronJob',
  'v1/ConfigMap': 'io.k8s.api.core.v1.ConfigMap',
  'v1/PersistentVolumeClaim': 'io.k8s.api.core.v1.PersistentVolumeClaim',
  'v1/ServiceAccount': 'io.k8s.api.core.v1.ServiceAccount',
  'v1/Namespace': 'io.k8s.api.core.v1.Namespace',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'io.k8s.api.rbac.v1.ClusterRole',
  'rbac.authorization.k8s.io/v1/Role': 'io.k8s.api.rbac.v1.Role',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'io.k8s.api.rbac.v1.RoleBinding',
};

/**
 * Validates built-in Kubernetes objects against the official OpenAPI schemas, with strict field validation (an
 * unknown field is an error, as `kubectl apply --validate=strict` makes it) and the required fields the schemas
 * declare. What the API server checks beyond the schema (a cron expression, a DNS name, a quantity) is not here:
 * the test against a real API server covers that.
 */
export class KubeOpenApiValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(file = KUBERNETES_OPENAPI) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { components: { schemas: Record<string, Schema> } };
    const ajv = new Ajv({ allErrors: true, strict: false, formats: { int32: true, int64: true, double: true, byte: true, 'date-time': true, 'int-or-string': true } });
    ajv.addKeyword({
      keyword: 'x-kubernetes-int-or-string',
      schemaType: 'boolean',
      validate: (on: boolean, data: unknown) => !on || Number.isInteger(data) || typeof data === 'string',
      errors: false,
    });
    const schemas = Object.fromEntries(Object.entries(doc.components.schemas).map(([k, v]) => [k, strictFields(v)]));
    ajv.addSchema({ $id: 'k8s', components: { schemas } });
    for (const [kind, name] of Object.entries(KINDS)) {
      this.validators.set(kind, ajv.compile({ $ref: `k8s#/components/schemas/${name}` }));
    }
  }

  knows(apiVersion: string, kind: string): boolean {
    return this.validators.has(`${apiVersion}/${kind}`);
  }

  /** Violations as `spec.jobTemplate.spec.template.spec.containers.0: unknown field "imagee"`; empty when valid. */
  validate(obj: { apiVersion?: unknown; kind?: unknown }): string[] {
    const validate = this.validators.get(`${String(obj.apiVersion)}/${String(obj.kind)}`);
    if (!validate) return [`no schema for ${String(obj.apiVersion)} ${String(obj.kind)}`];
    if (validate(obj)) return [];
    return (validate.errors ?? []).map((e) => {
      const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
      const extra = e.keyword === 'additionalProperties' ? `: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
      return `${path}: ${e.message ?? e.keyword}${extra}`;
    });
  }
}

/** Closes every object schema that lists its properties, unless it opts into unknown fields. */
function strictFields(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map((s) => (s && typeof s === 'object' ? strictFields(s as Schema) : s)) as unknown as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([p, s]) => [p, strictFields(s)]));
    else if (v && typeof v === 'object' && k !== 'default' && k !== 'enum') out[k] = strictFields(v as Schema);
    else out[k] = v;
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}
