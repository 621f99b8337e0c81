import type { RequestEvent, TimeRange } from '../core/index.ts';

/** When a request was sent: a write's own client clock, else its answer's time minus its duration. */
export function sentAt(r: RequestEvent): number {
  return r.clientTs ?? r.t - r.durationMs;
}

/** What reading the acknowledged writes back from the surviving primary found, for one store. */
export interface DataLossReport {
  store: string;
  /** Writes the system acknowledged (answered as expected) among those sent in the window. */
  acknowledged: number;
  /** Acknowledged writes the surviving primary does not hold. */
  lost: number;
  /** Writes (acknowledged or not) the surviving primary holds more than once. */
  duplicated: number;
  /** Writes the system did not acknowledge (an error or a timeout) that the surviving primary holds anyway. */
  resurrected: number;
  /** Writes sent that were not acknowledged. */
  unacknowledged: number;
  /** The span of acknowledged writes lost (see {@link computeDataLoss}); 0 when none is lost. */
  rpoMs: number;
  /** The oldest lost write's send time and the newest lost write's acknowledgement, epoch ms. */
  lostFrom?: number;
  lostUntil?: number;
  /** Up to 20 lost ids, oldest first, for the report. */
  lostIds: string[];
}

/** Writes the load generator sent in `range` (by their own clock), each with a write id. */
export function writesIn(requests: RequestEvent[], range: TimeRange): RequestEvent[] {
  return requests.filter((r) => r.route === 'write' && r.id !== undefined && sentAt(r) >= range.start && sentAt(r) <= range.end);
}

/**
 * RPO from acknowledged writes, exactly: of the writes sent in the window, the acknowledged ones the surviving
 * primary no longer holds are lost. RPO is the time span they cover: the acknowledgement time of the newest lost
 * write minus the send time of the oldest lost write. With async replication the lost writes are the last ones the
 * old primary acknowledged before it was lost, so this is how far back in time the survivor's data stands.
 * No lost write is an RPO of 0; no acknowledged write at all is no evidence (the caller says inconclusive).
 */
export function computeDataLoss(store: string, writes: RequestEvent[], counts: Record<string, number>): DataLossReport {
  const acked = writes.filter((w) => w.ok);
  const lost = acked.filter((w) => !(counts[w.id!]! > 0)).sort((a, b) => sentAt(a) - sentAt(b));
  const duplicated = new Set(writes.filter((w) => counts[w.id!]! > 1).map((w) => w.id)).size;
  const resurrected = writes.filter((w) => !w.ok && counts[w.id!]! > 0).length;
  const lostFrom = lost.length ? sentAt(lost[0]!) : undefined;
  const lostUntil = lost.length ? Math.max(...lost.map((w) => w.t)) : undefined;
  return {
    store,
    acknowledged: acked.length,
    lost: lost.length,
    duplicated,
    resurrected,
    unacknowledged: writes.length - acked.length,
    rpoMs: lostFrom !== undefined && lostUntil !== undefined ? lostUntil - lostFrom : 0,
    ...(lostFrom !== undefined ? { lostFrom, lostUntil } : {}),
    lostIds: lost.slice(0, 20).map((w) => w.id!),
  };
}
