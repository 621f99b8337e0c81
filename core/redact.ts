/** Keys whose values never reach the journal, reports or logs. */
const SECRET_KEY = /token|password|passwd|secret|authorization|bearer|client-key|client-certificate|credential/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** Deep copy with secret-looking values replaced, so credentials cannot leak through an error or a spec. */
export function redactSecrets<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(BEARER, '$1 [redacted]');
  if (Array.isArray(value)) return value.map(walk);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v !== undefined ? '[redacted]' : walk(v);
    return out;
  }
  return value;
}
