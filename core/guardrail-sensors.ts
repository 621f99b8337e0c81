import { parseDuration } from './duration.ts';
import {
  isRequestGuardrail,
  PROMETHEUS_GUARDRAIL_EVERY,
  REQUEST_GUARDRAIL_DEFAULTS,
  REQUEST_GUARDRAIL_MAX_LOOKBACK,
  type Guardrail,
  type RequestSignal,
} from './guardrail.ts';
import type { RequestWindows } from './request-window.ts';
import type { SloJudge } from './slo-judge.ts';
import type { Comparator } from './slo.ts';

/** One reading: a number, or none yet (too few requests in the window). A read that fails throws. */
export type Reading = { value: number; samples?: number } | { none: string };

/** How a guardrail is read: its cadence, its deadline, and how long it may go without a reading. */
export interface GuardrailSensor {
  name: string;
  comparator: Comparator;
  threshold: number;
  everyMs: number;
  forMs: number;
  /** A read not back by then has missed its deadline. */
  deadlineMs: number;
  /** How long readings of "none" may last before the guardrail is blind and fails closed. */
  blindLimitMs: number;
  read(signal: AbortSignal): Promise<Reading>;
}

/** Where guardrails read from: the SLO judge (PromQL) and the load generator's request stream. */
export interface GuardrailSources {
  judge: Pick<SloJudge, 'read'>;
  requests?: RequestWindows;
}

/** Turns a guardrail into what the watcher reads. Throws when a request guardrail has no stream to read. */
export function sensorFor(g: Guardrail, sources: GuardrailSources): GuardrailSensor {
  const head = { name: g.name, comparator: g.comparator, threshold: g.threshold };
  if (isRequestGuardrail(g) && !sources.requests) {
    if (!g.fallback) throw new Error(`guardrail "${g.name}" reads the request stream, and the load generator provides none`);
    return sensorFor({ ...head, ...g.fallback }, sources);
  }
  if (isRequestGuardrail(g)) {
    const windows = sources.requests!;
    const everyMs = parseDuration(g.every ?? REQUEST_GUARDRAIL_DEFAULTS.every, 'every');
    const lookbackMs = parseDuration(REQUEST_GUARDRAIL_MAX_LOOKBACK);
    const query = requestQuery(g.requests, lookbackMs);
    return {
      ...head,
      everyMs,
      forMs: parseDuration(g.for ?? REQUEST_GUARDRAIL_DEFAULTS.for, 'for'),
      deadlineMs: everyMs,
      blindLimitMs: lookbackMs,
      async read() {
        const w = windows.window(query);
        if (w.samples < query.minSamples || w.availability === undefined) {
          return { none: `${w.samples} request${w.samples === 1 ? '' : 's'} in the last ${Math.round((w.to - w.from) / 100) / 10}s, fewer than the ${query.minSamples} it needs` };
        }
        return { value: w.availability, samples: w.samples };
      },
    };
  }
  const everyMs = parseDuration(g.every ?? PROMETHEUS_GUARDRAIL_EVERY, 'every');
  return {
    ...head,
    everyMs,
    forMs: parseDuration(g.for ?? '0s', 'for'),
    deadlineMs: everyMs,
    // No data from PromQL is not "too few yet": it counts as a failed read, and two in a row fail closed.
    blindLimitMs: 0,
    async read(signal) {
      const value = await sources.judge.read(g.query, { signal });
      if (value === undefined) throw new Error('the query returned no data');
      return { value };
    },
  };
}

/** The watch on the record itself: the SLO source must keep answering while faults are on. */
export function recordSensor(name: string, ping: (signal: AbortSignal) => Promise<void>, everyMs: number): GuardrailSensor {
  return {
    name,
    comparator: '<',
    threshold: 1,
    everyMs,
    forMs: 0,
    deadlineMs: everyMs,
    blindLimitMs: 0,
    async read(signal) {
      await ping(signal);
      return { value: 1 };
    },
  };
}

function requestQuery(s: RequestSignal, maxLookbackMs: number) {
  return {
    region: s.region,
    ...(s.route ? { route: s.route } : {}),
    windowMs: parseDuration(s.window ?? REQUEST_GUARDRAIL_DEFAULTS.window, 'window'),
    stallAfterMs: parseDuration(s.stallAfter ?? REQUEST_GUARDRAIL_DEFAULTS.stallAfter, 'stallAfter'),
    minSamples: s.minSamples ?? REQUEST_GUARDRAIL_DEFAULTS.minSamples,
    maxLookbackMs,
  };
}
