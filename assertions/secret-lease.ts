import { formatDuration, parseDuration, type RequestEvent, type RunWindows, type SloSpec, type TimeRange } from '../core/index.ts';
import { sentAt } from './data-loss.ts';
import { RTO_WINDOW_MS, windowsBelow } from './availability-windows.ts';
import { formatObjective, formatValue } from './format.ts';
import type { Judgement } from './judgement.ts';
import { secretLeaseExpiryAtQuery } from './sli-queries.ts';

/** What a region did while its secret store was gone, read from its own requests (epoch ms). */
export interface LeaseOutage {
  faultStart: number;
  leaseExpiresAt: number;
  /** Requests sent from the fault's start until the lease expired, and how many of them succeeded. */
  before: { requests: number; ok: number };
  /**
   * The first failed request of the first 1 s sliding window after the expiry whose availability fell below the
   * failure threshold: when the region failed. Undefined when it never did.
   */
  failedAt?: number;
  /** Requests sent from the expiry on, up to the end of the data looked at, and how many succeeded. */
  after: { requests: number; ok: number };
}

/**
 * Reads a secret-lease outage from per-request results: how the region served until its lease expired, and when,
 * after the expiry, availability over a sliding window of `RTO_WINDOW_MS` first fell below `failBelow`. A request
 * counts at the time it was sent, when the state it found was decided.
 */
export function leaseOutage(requests: RequestEvent[], o: { faultStart: number; leaseExpiresAt: number; end: number; failBelow: number }): LeaseOutage {
  const seen = requests.filter((r) => sentAt(r) >= o.faultStart && sentAt(r) <= o.end).sort((a, b) => sentAt(a) - sentAt(b));
  const before = seen.filter((r) => sentAt(r) < o.leaseExpiresAt);
  const after = seen.filter((r) => sentAt(r) >= o.leaseExpiresAt);
  const out: LeaseOutage = {
    faultStart: o.faultStart,
    leaseExpiresAt: o.leaseExpiresAt,
    before: { requests: before.length, ok: before.filter((r) => r.ok).length },
    after: { requests: after.length, ok: after.filter((r) => r.ok).length },
  };
  const firstBad = windowsBelow(after, o.failBelow).next();
  if (!firstBad.done) out.failedAt = sentAt(firstBad.value.find((x) => !x.ok)!);
  return out;
}

export type SecretLeaseSlo = Extract<SloSpec, { kind: 'secretLease' }>;

/** How long a renewal that completed just before the store went away may take to show in Prometheus: 3 scrapes of the lab. */
export const RENEWAL_VISIBLE_MS = 3_000;

/** Availability under this counts as the region having failed, when the SLO names no threshold. */
export const DEFAULT_LEASE_FAIL_BELOW = 0.9;

/**
 * Judges a secretLease SLO: the lease the region's agent held when the store went away (read from Prometheus just
 * after the fault's start), then the region's own requests around its expiry. Passes when the region served at `objective`
 * until the expiry and failed within `within` after it.
 */
export async function judgeSecretLease(
  slo: SecretLeaseSlo,
  windows: RunWindows,
  range: TimeRange,
  requests: () => RequestEvent[],
  readAt: (query: string) => Promise<number | undefined>,
): Promise<Judgement> {
  const withinMs = parseDuration(slo.within, 'within');
  const failBelow = slo.failBelow ?? DEFAULT_LEASE_FAIL_BELOW;
  const objective = `${formatObjective('>=', slo.objective * 100, '%')} until the lease expires, then below ${formatValue(failBelow * 100, '%')} within ${formatDuration(withinMs)}`;
  const fault = slo.fault === undefined ? windows.faults[0] : windows.faults.find((f) => f.name === slo.fault);
  const head = { range, objective, unit: 's' };
  if (!fault) return { ...head, query: '', verdict: 'inconclusive', reason: 'no fault ran, so no secret store went away.' };
  const query = secretLeaseExpiryAtQuery(slo.region, fault.range.start, RENEWAL_VISIBLE_MS);
  const expiryS = await readAt(query);
  if (!expiryS || expiryS * 1000 <= fault.range.start) {
    return { ...head, query, verdict: 'inconclusive', reason: `${slo.region}'s secret agent held no lease when the fault started, so there is no expiry to judge from.` };
  }
  const leaseExpiresAt = Math.round(expiryS * 1000);
  const timings: Record<string, number> = { faultStart: fault.range.start, faultEnd: fault.range.end, leaseExpiresAt };
  if (leaseExpiresAt >= fault.range.end) {
    return { ...head, query, timings, verdict: 'inconclusive', reason: `the lease ran until ${formatDuration(leaseExpiresAt - fault.range.start)} after the fault's start, past its revert: hold the fault longer than the lease TTL.` };
  }
  const mine = requests().filter((r) => r.region === slo.region && (slo.route === undefined || r.route === slo.route));
  const outage = leaseOutage(mine, { faultStart: fault.range.start, leaseExpiresAt, end: fault.range.end, failBelow });
  const evidence = { ...outage, failBelow, windowMs: RTO_WINDOW_MS };
  const who = `${slo.region}${slo.route ? ` ${slo.route}s` : ''}`;
  if (outage.before.requests === 0 || outage.after.requests === 0) {
    return { ...head, query, timings, evidence, verdict: 'inconclusive', reason: `no ${who} were sent ${outage.before.requests === 0 ? 'before' : 'after'} the lease expired; a judgement without data is never a pass.` };
  }
  const availability = outage.before.ok / outage.before.requests;
  const held = `${who} served ${formatValue(availability * 100, '%')} of ${outage.before.requests} requests for the ${formatDuration(leaseExpiresAt - fault.range.start)} the lease still ran`;
  if (availability < slo.objective) {
    return { ...head, query, timings, evidence, verdict: 'fail', reason: `${held}, under ${formatValue(slo.objective * 100, '%')}: the cached lease did not carry the region.` };
  }
  if (outage.failedAt === undefined) {
    return { ...head, query, timings, evidence, verdict: 'fail', reason: `${held}, and kept serving after the lease expired (${outage.after.ok} of ${outage.after.requests} ok): expired credentials were still accepted.` };
  }
  timings.failedAt = outage.failedAt;
  const delayS = (outage.failedAt - leaseExpiresAt) / 1000;
  const meets = outage.failedAt - leaseExpiresAt <= withinMs;
  return {
    ...head,
    query,
    timings,
    evidence,
    observed: delayS,
    verdict: meets ? 'pass' : 'fail',
    reason: `${held}, then failed ${formatValue(delayS, 's')} after the lease expired (${formatDuration(leaseExpiresAt - fault.range.start)} into the fault), ${meets ? 'as designed' : `later than the ${formatDuration(withinMs)} allowed`}.`,
  };
}
