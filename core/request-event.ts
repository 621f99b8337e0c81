import { readFileSync } from 'node:fs';

/**
 * The load generator's own view of every request, one JSON object per line, written as it happens (see
 * ARCHITECTURE.md, "The request stream"). Guardrails, RTO phases and acknowledged writes are computed from it;
 * Prometheus stays the record SLOs are judged from.
 */
export type RequestRoute = 'read' | 'write';

/** A request the load generator sent. Paired with its {@link RequestEvent} by `region` + `n`. */
export interface RequestStart {
  kind: 'start';
  /** When it was sent, epoch ms (the load generator's clock). */
  t: number;
  region: string;
  /** The iteration number within the region: unique per region and run, it pairs a start with its end. */
  n: number;
  route: RequestRoute;
  /** Writes only: the write's unique id, as sent in the request body. */
  id?: string;
  /** Writes only: the client timestamp (epoch ms) sent in the request body. */
  clientTs?: number;
}

/** A request that came back: with a response, or with an error (timeout, refused) and status 0. */
export interface RequestEvent {
  kind: 'end';
  /** When the response (or the error) arrived, epoch ms. */
  t: number;
  region: string;
  n: number;
  route: RequestRoute;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** The answer the system under test owes: 200, 201 or 404 (a read of an id never written). Everything else failed. */
  ok: boolean;
  /** k6's http_req_duration for it, ms: what the latency SLOs measure. */
  durationMs: number;
  /** Writes only: the write's unique id. An `ok` write is acknowledged. */
  id?: string;
  /** Writes only: the client timestamp sent with it. */
  clientTs?: number;
  /** The load generator's error text when no response arrived. */
  error?: string;
}

export type RequestLine = RequestStart | RequestEvent;

/** One line of the stream, or undefined for anything else (a partial line, a stray log line). */
export function parseRequestLine(line: string): RequestLine | undefined {
  if (!line.startsWith('{"kind":"')) return undefined;
  try {
    const value = JSON.parse(line) as RequestLine;
    if ((value.kind === 'start' || value.kind === 'end') && typeof value.t === 'number' && typeof value.region === 'string') return value;
  } catch {
    // not a stream line
  }
  return undefined;
}

/** Every line of a stream file kept after a run, in file order. */
export function readRequestLines(path: string): RequestLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map(parseRequestLine)
    .filter((l): l is RequestLine => l !== undefined);
}

/**
 * k6 cancels the requests still in flight when it is told to stop (at the end of the run, or on Ctrl-C): they come back
 * at once, with status 0 and "context canceled". The system under test was never given the time to answer them, so
 * they say nothing about it: one counted as failed, in the last second of a game day, kept a failover's RTO from ever
 * being reached.
 */
export function cancelledByLoadStop(e: RequestEvent): boolean {
  return e.status === 0 && e.error === 'context canceled';
}

/** The requests that came back, from a stream file, without those the load generator itself cancelled. */
export function readRequestEvents(path: string): RequestEvent[] {
  return readRequestLines(path).filter((l): l is RequestEvent => l.kind === 'end' && !cancelledByLoadStop(l));
}
