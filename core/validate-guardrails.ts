import { parseDuration } from './duration.ts';
import { FaultlineError } from './errors.ts';
import { isRequestGuardrail, REQUEST_GUARDRAIL_DEFAULTS, REQUEST_GUARDRAIL_MAX_LOOKBACK, type Guardrail, type RequestGuardrail } from './guardrail.ts';
import type { LoadProfile } from './load-profile.ts';
import { requireRegion, type Topology } from './topology.ts';

/**
 * The scenario's guardrails, checked without touching anything: durations parse, a PromQL guardrail has a query, and
 * a request-stream guardrail watches a region the load reaches, often enough to ever hold its minimum sample count.
 */
export function validateGuardrails(guardrails: Guardrail[], load: LoadProfile, topology: Topology): FaultlineError[] {
  const problems: FaultlineError[] = [];
  for (const g of guardrails) {
    const where = `guardrail "${g.name}"`;
    const bad = (message: string, hint?: string, code: FaultlineError['code'] = 'FAULTLINE_BAD_INPUT') =>
      problems.push(new FaultlineError(code, `${where}: ${message}`, hint));
    const duration = (value: string | number | undefined, what: string) => {
      if (value === undefined) return;
      try {
        parseDuration(value, what);
      } catch (e) {
        bad((e as FaultlineError).message, "write it as '250ms', '1s' or '2m'");
      }
    };
    duration(g.for, 'for');
    duration(g.every, 'every');
    if (!isRequestGuardrail(g)) {
      if (!g.query?.trim()) bad('query is empty', 'give PromQL that returns one number, or read the request stream (requestAvailabilityGuardrail)');
      continue;
    }
    requestProblems(g, load, topology, bad, duration);
  }
  return problems;
}

function requestProblems(
  g: RequestGuardrail,
  load: LoadProfile,
  topology: Topology,
  bad: (message: string, hint?: string, code?: FaultlineError['code']) => void,
  duration: (value: string | number | undefined, what: string) => void,
): void {
  const s = g.requests;
  if (s.sli !== 'availability') bad(`sli "${String(s.sli)}" is unknown`, "the request stream gives 'availability'");
  if (!(g.threshold >= 0 && g.threshold <= 1)) bad(`threshold ${g.threshold} is not a share between 0 and 1`, 'write 50% as 0.5');
  duration(s.window, 'window');
  duration(s.stallAfter, 'stallAfter');
  if (g.fallback) {
    duration(g.fallback.for, 'fallback for');
    duration(g.fallback.every, 'fallback every');
  }
  const minSamples = s.minSamples ?? REQUEST_GUARDRAIL_DEFAULTS.minSamples;
  if (!Number.isInteger(minSamples) || minSamples < 1) bad(`minSamples ${minSamples} is not a positive whole number`, 'at least 1; the default 5 keeps one failed request from tripping it');
  try {
    requireRegion(topology, s.region);
  } catch (e) {
    bad((e as FaultlineError).message, undefined, 'FAULTLINE_UNKNOWN_NAME');
    return;
  }
  const traffic = load.regions[s.region];
  if (!traffic) {
    bad(`watches region "${s.region}", which the load profile sends no requests to`, `add load for ${s.region}, or watch one of: ${Object.keys(load.regions).join(', ')}`);
    return;
  }
  // At this rate the widest window a reading may use still holds too few requests: the guardrail would be blind.
  const rate = traffic.executor === 'constant-arrival-rate' ? traffic.rate : undefined;
  const lookbackS = parseDuration(REQUEST_GUARDRAIL_MAX_LOOKBACK) / 1_000;
  const share = s.route === undefined ? 1 : s.route === 'write' ? load.writeRatio : 1 - load.writeRatio;
  if (rate !== undefined && Number.isInteger(minSamples) && rate * share * lookbackS < minSamples) {
    bad(
      `at ${rate} requests/s${s.route ? ` (${s.route}s: ${Math.round(share * 100)}%)` : ''} to ${s.region}, ${lookbackS}s never hold the ${minSamples} requests one reading needs`,
      `raise the rate to ${Math.ceil(minSamples / (share * lookbackS))}/s or more, or lower minSamples`,
    );
  }
}
