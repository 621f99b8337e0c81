import type { RequestEvent, RequestLine, RequestRoute, RequestStart } from './request-event.ts';

/** What to aggregate, per region. */
export interface RequestWindowQuery {
  region: string;
  /** Only this route. Default: every request. */
  route?: RequestRoute;
  /** The sliding window, ms: requests that came back in (now − windowMs, now]. */
  windowMs: number;
  /**
   * A request still unanswered this long after it was sent counts as failing, now: a frozen ingress answers
   * nothing, and waiting for the load generator's own timeout would hide it for seconds.
   */
  stallAfterMs: number;
  /** When the window holds fewer requests, it is widened back until it does (up to `maxLookbackMs`). Default 1. */
  minSamples?: number;
  /** How far back a window may be widened, ms. Default: not widened. */
  maxLookbackMs?: number;
}

/** One region's requests over one window. */
export interface RequestWindow {
  region: string;
  route?: RequestRoute;
  /** The span aggregated, epoch ms: `windowMs` back from `to`, or wider to hold `minSamples`. */
  from: number;
  to: number;
  ok: number;
  failed: number;
  /** Sent more than `stallAfterMs` ago and still unanswered. */
  stalled: number;
  /** ok + failed + stalled. */
  samples: number;
  /** ok / samples; undefined without samples. */
  availability?: number;
  /** Requests sent in the window (any outcome yet), for the load actually delivered. */
  sent: number;
  /** The newest line read for the region (its own timestamp), epoch ms. */
  lastSeen?: number;
}

/** The resolution of the whole-run count of requests sent. */
const TICK_MS = 100;
/** Kept long enough for any window a guardrail reads, widened or not. */
const DEFAULT_KEEP_MS = 30_000;
/** A start whose end never came (a killed load generator) is forgotten after this. */
const IN_FLIGHT_FORGET_MS = 10 * 60_000;

/**
 * Per-region sliding aggregates over the request stream: the last few hundred milliseconds of outcomes, plus the
 * requests still in flight. Fed line by line as the stream is read; memory is bounded by `keepMs` of traffic.
 */
export class RequestWindows {
  readonly #keepMs: number;
  readonly #regions = new Map<string, RegionLines>();

  constructor(options: { keepMs?: number } = {}) {
    this.#keepMs = options.keepMs ?? DEFAULT_KEEP_MS;
  }

  add(line: RequestLine): void {
    let r = this.#regions.get(line.region);
    if (!r) this.#regions.set(line.region, (r = new RegionLines()));
    if (line.kind === 'start') r.started(line);
    else r.ended(line);
    r.prune(line.t - this.#keepMs, line.t - IN_FLIGHT_FORGET_MS);
  }

  /** Regions seen so far. */
  regions(): string[] {
    return [...this.#regions.keys()];
  }

  /**
   * Requests the region sent in [from, to), over the whole run (kept in 100 ms buckets, so a window's edges are
   * exact to a tenth of a second): the load actually delivered.
   */
  sentBetween(region: string, from: number, to: number): number {
    return this.#regions.get(region)?.sentIn(from, to) ?? 0;
  }

  /** When the region's first request was sent: its k6 scenario's start. */
  firstSent(region: string): number | undefined {
    return this.#regions.get(region)?.firstSent;
  }

  /** Requests of the region sent and not back yet. */
  inFlight(region: string): number {
    return this.#regions.get(region)?.inFlightCount ?? 0;
  }

  /** The newest line read for a region (or any region), epoch ms. */
  lastSeen(region?: string): number | undefined {
    if (region !== undefined) return this.#regions.get(region)?.lastSeen;
    const all = [...this.#regions.values()].flatMap((r) => (r.lastSeen === undefined ? [] : [r.lastSeen]));
    return all.length ? Math.max(...all) : undefined;
  }

  /** The aggregate over (now − windowMs, now], widened back to hold `minSamples` when the query allows it. */
  window(q: RequestWindowQuery, now = Date.now()): RequestWindow {
    const r = this.#regions.get(q.region);
    const head = { region: q.region, ...(q.route ? { route: q.route } : {}) };
    if (!r) return { ...head, from: now - q.windowMs, to: now, ok: 0, failed: 0, stalled: 0, samples: 0, sent: 0 };
    const stalled = r.stalledAt(now - q.stallAfterMs, q.route);
    const floor = now - Math.max(q.windowMs, q.maxLookbackMs ?? q.windowMs);
    let from = now - q.windowMs;
    let ok = 0;
    let failed = 0;
    // Newest first: everything inside the window, then older ones only while the window is short of samples.
    for (let i = r.ends.length - 1; i >= 0; i--) {
      const e = r.ends[i]!;
      if (e.t > now) continue;
      if (e.t <= from) {
        if (ok + failed + stalled >= (q.minSamples ?? 1) || e.t <= floor) break;
        from = e.t - 1;
      }
      if (q.route && e.route !== q.route) continue;
      if (e.ok) ok++;
      else failed++;
    }
    const samples = ok + failed + stalled;
    return {
      ...head,
      from,
      to: now,
      ok,
      failed,
      stalled,
      samples,
      ...(samples > 0 ? { availability: ok / samples } : {}),
      sent: r.sentBetween(from, now, q.route),
      lastSeen: r.lastSeen,
    };
  }
}

/** One region's recent ends (ordered by time), its requests in flight and its recent starts. */
class RegionLines {
  readonly ends: RequestEvent[] = [];
  readonly starts: RequestStart[] = [];
  readonly #inFlight = new Map<number, RequestStart>();
  /** Starts per 100 ms since the run began: the whole run's delivered load, in little memory. */
  readonly #sentPerTick = new Map<number, number>();
  lastSeen?: number;
  firstSent?: number;

  started(s: RequestStart): void {
    this.#inFlight.set(s.n, s);
    insertByTime(this.starts, s);
    const tick = Math.floor(s.t / TICK_MS);
    this.#sentPerTick.set(tick, (this.#sentPerTick.get(tick) ?? 0) + 1);
    if (this.firstSent === undefined || s.t < this.firstSent) this.firstSent = s.t;
    this.#seen(s.t);
  }

  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  sentIn(from: number, to: number): number {
    let n = 0;
    for (let tick = Math.floor(from / TICK_MS); tick < Math.ceil(to / TICK_MS); tick++) n += this.#sentPerTick.get(tick) ?? 0;
    return n;
  }

  ended(e: RequestEvent): void {
    this.#inFlight.delete(e.n);
    insertByTime(this.ends, e);
    this.#seen(e.t);
  }

  stalledAt(sentBefore: number, route?: RequestRoute): number {
    let n = 0;
    for (const s of this.#inFlight.values()) if (s.t <= sentBefore && (!route || s.route === route)) n++;
    return n;
  }

  sentBetween(from: number, to: number, route?: RequestRoute): number {
    let n = 0;
    for (let i = this.starts.length - 1; i >= 0 && this.starts[i]!.t > from; i--) {
      const s = this.starts[i]!;
      if (s.t <= to && (!route || s.route === route)) n++;
    }
    return n;
  }

  prune(before: number, forgetBefore: number): void {
    dropBefore(this.ends, before);
    dropBefore(this.starts, before);
    for (const [n, s] of this.#inFlight) if (s.t < forgetBefore) this.#inFlight.delete(n);
  }

  #seen(t: number): void {
    if (this.lastSeen === undefined || t > this.lastSeen) this.lastSeen = t;
  }
}

/** Lines arrive almost in time order (concurrent requests finish out of order by milliseconds). */
function insertByTime<T extends { t: number }>(list: T[], item: T): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.t > item.t) i--;
  list.splice(i, 0, item);
}

function dropBefore<T extends { t: number }>(list: T[], before: number): void {
  let n = 0;
  while (n < list.length && list[n]!.t < before) n++;
  if (n) list.splice(0, n);
}
