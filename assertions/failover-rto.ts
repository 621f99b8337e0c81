import type { FailoverWindow, RequestEvent } from '../core/index.ts';
import { RTO_WINDOW_MS, windowsBelow } from './availability-windows.ts';
import { sentAt } from './data-loss.ts';

/** The instants an outage and its recovery are made of, as the users' own requests saw them (epoch ms). */
export interface RtoPhases {
  faultStart: number;
  /** The first failed request after the fault started: when users could first notice. */
  firstFailure?: number;
  /** When the outage was detected: the DR automation's own declaration, else the first failed request. */
  detectedAt?: number;
  failoverStart?: number;
  failoverEnd?: number;
  /** The first write sent after detection that succeeded: the new primary takes writes. */
  firstWrite?: number;
  /** Availability back at the threshold over the sliding window, and staying there to the end of the data. */
  sloBack?: number;
  /** `sloBack - faultStart`, or 0 when availability never left the threshold. Undefined: not recovered. */
  rtoMs?: number;
  /** Requests the phases were read from. */
  requests: number;
}

/**
 * Reads the RTO phases from per-request results, to the millisecond. Each request tells the state of the system when
 * it was sent (a request sent to a frozen region times out seconds later, but the region was down when it left), so
 * availability at a request is the share that succeeded among those sent in the `RTO_WINDOW_MS` before it. The SLO is
 * back at the first successful request sent after the last failure of the last window below the threshold: from
 * then on every window holds, so it is back and stays back.
 */
export function rtoPhases(requests: RequestEvent[], o: { faultStart: number; end: number; threshold: number; failover?: FailoverWindow }): RtoPhases {
  const seen = requests.filter((r) => r.t >= o.faultStart && sentAt(r) <= o.end).sort((a, b) => sentAt(a) - sentAt(b));
  const phases: RtoPhases = { faultStart: o.faultStart, requests: seen.length, ...(o.failover ? { failoverStart: o.failover.start, failoverEnd: o.failover.end } : {}) };
  const failures = seen.filter((r) => !r.ok);
  if (failures.length === 0) return { ...phases, ...(seen.length ? { sloBack: o.faultStart, rtoMs: 0 } : {}) };
  phases.firstFailure = Math.min(...failures.map((r) => r.t));
  phases.detectedAt = o.failover?.detectedAt ?? phases.firstFailure;
  phases.firstWrite = seen.find((r) => r.route === 'write' && r.ok && sentAt(r) >= phases.detectedAt!)?.t;

  let lastBadFailure: number | undefined;
  for (const window of windowsBelow(seen, o.threshold)) {
    // The newest failure inside this bad window: the SLO cannot be back before it.
    const newest = [...window].reverse().find((x) => !x.ok)!;
    lastBadFailure = Math.max(lastBadFailure ?? 0, sentAt(newest));
  }
  if (lastBadFailure === undefined) return { ...phases, sloBack: o.faultStart, rtoMs: 0 };
  const back = seen.find((r) => r.ok && sentAt(r) > lastBadFailure!);
  // Recovered only if requests kept succeeding after it for at least one whole window.
  if (!back || sentAt(seen[seen.length - 1]!) - sentAt(back) < RTO_WINDOW_MS) return phases;
  return { ...phases, sloBack: sentAt(back), rtoMs: sentAt(back) - o.faultStart };
}
