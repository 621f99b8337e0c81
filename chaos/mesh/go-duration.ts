import { parseDuration, type Duration } from '../../core/index.ts';

/**
 * Chaos Mesh parses durations with Go's time.ParseDuration, and some fields (delay latency) are further
 * restricted to a single unit. Whole seconds print as `90s`, anything finer as whole milliseconds.
 */
export function goDuration(value: Duration, what = 'duration'): string {
  const ms = Math.round(parseDuration(value, what));
  return ms % 1_000 === 0 ? `${ms / 1_000}s` : `${ms}ms`;
}

/** Go's duration grammar (sign, then one or more number+unit parts), for the webhook-rule validator. */
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

export function isGoDuration(text: string): boolean {
  return text === '0' || GO_DURATION.test(text);
}
