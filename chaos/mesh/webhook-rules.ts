import { isGoDuration } from './go-duration.ts';

/**
 * The rules Chaos Mesh's validating admission webhook enforces beyond the CRD schema (its api/v1alpha1/*_webhook.go).
 * An API server only knows the schema, so a manifest can be schema-valid and still be refused at create time; this
 * finds those refusals before anything is sent. Returns one message per violation, empty when the webhook would admit.
 */
export function webhookViolations(resource: { kind: string; spec?: unknown }): string[] {
  const spec = (resource.spec ?? {}) as Record<string, unknown>;
  const errors: string[] = [];
  const invalid = (path: string, value: unknown, why: string) =>
    errors.push(`spec.${path}: Invalid value: ${JSON.stringify(value ?? null)}: ${why}`);

  checkMode(spec.mode, spec.value, 'value', invalid);
  if (spec.duration !== undefined && !(typeof spec.duration === 'string' && isGoDuration(spec.duration))) {
    invalid('duration', spec.duration, 'parse duration field error: not a Go duration');
  }

  switch (resource.kind) {
    case 'PodChaos':
      if (spec.action === 'pod-failure' && spec.duration === undefined) {
        invalid('duration', undefined, 'pod-failure needs a duration: the pods would stay failed forever');
      }
      if (spec.action === 'container-kill' && !(Array.isArray(spec.containerNames) && spec.containerNames.length)) {
        invalid('containerNames', spec.containerNames, 'the name of container is empty on container-kill action');
      }
      break;

    case 'NetworkChaos': {
      const direction = (spec.direction as string | undefined) ?? 'to';
      const hasTarget = spec.target !== undefined && spec.target !== null;
      const hasExternal = Array.isArray(spec.externalTargets) && spec.externalTargets.length > 0;
      if (direction === 'from' || direction === 'both') {
        if (spec.action === 'partition') {
          if (!hasTarget && !hasExternal) {
            invalid('direction', direction, '`from` and `both` direction cannot be used when target and external targets are both empty');
          }
        } else {
          if (!hasTarget) invalid('direction', direction, '`from` and `both` direction need a target');
          if (hasExternal) invalid('direction', direction, 'external targets cannot be used with `from` and `both` direction except for action partition');
        }
      }
      if (hasTarget) {
        const t = spec.target as Record<string, unknown>;
        checkMode(t.mode, t.value, 'target.value', invalid);
      }
      const delay = spec.delay as Record<string, unknown> | undefined;
      if (delay) {
        if (!(typeof delay.latency === 'string' && isGoDuration(delay.latency))) invalid('delay.latency', delay.latency, 'not a Go duration');
        if (delay.jitter !== undefined && !(typeof delay.jitter === 'string' && isGoDuration(delay.jitter))) {
          invalid('delay.jitter', delay.jitter, 'not a Go duration');
        }
        if (delay.correlation !== undefined && !isPercentText(delay.correlation)) invalid('delay.correlation', delay.correlation, 'not a number');
      }
      if (spec.action === 'delay' && !delay) invalid('delay', undefined, 'action delay needs a delay spec');
      break;
    }

    case 'IOChaos':
      if (typeof spec.volumePath !== 'string' || spec.volumePath === '') {
        invalid('volumePath', spec.volumePath, 'IOChaos needs the volume path it injects into');
      }
      if (spec.action === 'latency' && !(typeof spec.delay === 'string' && isGoDuration(spec.delay))) {
        invalid('delay', spec.delay, 'latency action needs a Go duration delay');
      }
      if (spec.percent !== undefined && !(Number.isInteger(spec.percent) && (spec.percent as number) >= 0 && (spec.percent as number) <= 100)) {
        invalid('percent', spec.percent, 'must be an integer in [0,100]');
      }
      break;

    case 'StressChaos': {
      const stressors = spec.stressors as Record<string, { workers?: number } | undefined> | undefined;
      const any = stressors && (stressors.cpu || stressors.memory);
      if (!any && !spec.stressngStressors) invalid('stressors', stressors, 'missing stressors');
      for (const k of ['cpu', 'memory'] as const) {
        const s = stressors?.[k];
        if (s && !(Number.isInteger(s.workers) && (s.workers as number) > 0)) invalid(`stressors.${k}.workers`, s.workers, 'must be greater than 0');
      }
      break;
    }

    case 'TimeChaos':
      if (!(typeof spec.timeOffset === 'string' && isGoDuration(spec.timeOffset))) {
        invalid('timeOffset', spec.timeOffset, 'not a Go duration');
      }
      break;

    case 'HTTPChaos':
      if (spec.delay !== undefined && !(typeof spec.delay === 'string' && isGoDuration(spec.delay))) invalid('delay', spec.delay, 'not a Go duration');
      break;
  }
  return errors;
}

function checkMode(mode: unknown, value: unknown, path: string, invalid: (path: string, value: unknown, why: string) => void): void {
  if (mode === 'fixed' || mode === 'fixed-percent' || mode === 'random-max-percent') {
    if (typeof value !== 'string' || !/^\d+$/.test(value)) {
      invalid(path, value, `mode ${mode} needs value as a whole number in a string`);
      return;
    }
    const n = Number(value);
    if (mode === 'fixed' && n <= 0) invalid(path, value, 'value must be greater than 0 with mode:fixed');
    if (mode !== 'fixed' && (n <= 0 || n > 100)) invalid(path, value, `value of ${n} is invalid, Must be (0,100] with mode:${mode}`);
  }
}

function isPercentText(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v));
}
