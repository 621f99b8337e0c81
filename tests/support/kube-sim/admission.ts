/**
 * The simulator's stand-in for Chaos Mesh's validating webhook, written for these tests from what the real webhook
 * answered on the loopback clusters, and deliberately not from chaos/mesh/webhook-rules.ts: a misreading in the
 * product's preflight rules must not be mirrored here. Only the selector mode/value rule is modelled; everything
 * else about admission is tested against the real webhook (tests/mesh/driver.spec.ts).
 */
export function admissionDenials(obj: { kind?: string; spec?: unknown }): string[] {
  const spec = (obj.spec ?? {}) as { mode?: unknown; value?: unknown };
  const mode = spec.mode;
  if (mode !== 'fixed' && mode !== 'fixed-percent' && mode !== 'random-max-percent') return [];
  const raw = spec.value;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  let why: string | undefined;
  if (!Number.isInteger(n)) why = `value must be a whole number with mode:${mode}`;
  else if (mode === 'fixed' && n <= 0) why = 'value must be greater than 0 with mode:fixed';
  else if (mode !== 'fixed' && (n <= 0 || n > 100)) why = `value of ${n} is invalid, Must be (0,100] with mode:${mode}`;
  if (!why) return [];
  // The real webhook reports the rule once per embedded selector struct.
  return ['Spec.ContainerSelector.value', 'Spec.ContainerSelector.PodSelector.value'].map((path) => `${path}: Invalid value: ${JSON.stringify(raw ?? null)}: ${why}`);
}
