import { isAxiosError } from 'axios';
import { FaultlineError, formatDuration } from '../core/index.ts';

/** The `errorType` values of the Prometheus HTTP API's error envelope. */
export type PrometheusErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'unavailable' | string;

/**
 * A failed Prometheus call, carrying the query that caused it so a user can fix the right line.
 * `errorType` is Prometheus's own classification, or `http`/`network` when the answer was not the API's envelope.
 */
export class PrometheusError extends FaultlineError {
  constructor(
    code: 'FAULTLINE_BAD_PROMQL' | 'FAULTLINE_PROMETHEUS_UNREACHABLE',
    message: string,
    hint: string,
    readonly errorType: PrometheusErrorType,
    readonly query: string | undefined,
  ) {
    super(code, message, hint);
  }
}

/** What a call was doing, for the message: which server, which query, how long it was allowed. */
export interface CallContext {
  /** The server's URL with any credentials stripped. */
  url: string;
  query?: string;
  timeoutMs: number;
}

/** The API's error envelope, as Prometheus writes it on 4xx/5xx. */
export interface ErrorEnvelope {
  status: 'error';
  errorType: string;
  error: string;
}

export function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  return !!body && typeof body === 'object' && (body as { status?: unknown }).status === 'error';
}

/** Maps Prometheus's own error answer to a FaultlineError, keeping its message verbatim (it points at line:col). */
export function fromEnvelope(envelope: ErrorEnvelope, ctx: CallContext): PrometheusError {
  const q = quoted(ctx.query);
  switch (envelope.errorType) {
    case 'bad_data':
      return new PrometheusError(
        'FAULTLINE_BAD_PROMQL',
        `Prometheus rejected the query: ${envelope.error}${q}`,
        'fix the PromQL; Prometheus gives the line:column of the problem',
        envelope.errorType,
        ctx.query,
      );
    case 'execution':
      return new PrometheusError(
        'FAULTLINE_BAD_PROMQL',
        `Prometheus could not evaluate the query: ${envelope.error}${q}`,
        'the query parses but fails on the data (often a many-to-many match): aggregate or add on()/group_left',
        envelope.errorType,
        ctx.query,
      );
    case 'timeout':
    case 'canceled':
      return new PrometheusError(
        'FAULTLINE_PROMETHEUS_UNREACHABLE',
        `Prometheus at ${ctx.url} gave up on the query (${envelope.errorType}: ${envelope.error})${q}`,
        `narrow the query or its window, or raise queryTimeout (it was ${formatDuration(ctx.timeoutMs)})`,
        envelope.errorType,
        ctx.query,
      );
    default:
      return new PrometheusError(
        'FAULTLINE_PROMETHEUS_UNREACHABLE',
        `Prometheus at ${ctx.url} failed (${envelope.errorType}: ${envelope.error})${q}`,
        "check Prometheus's own log; the run cannot be judged until it answers",
        envelope.errorType,
        ctx.query,
      );
  }
}

/** An HTTP answer that is not the API's envelope: a proxy, an auth layer, or the wrong URL. */
export function fromHttpStatus(status: number, ctx: CallContext): PrometheusError {
  const q = quoted(ctx.query);
  if (status === 401 || status === 403) {
    return new PrometheusError(
      'FAULTLINE_PROMETHEUS_UNREACHABLE',
      `Prometheus at ${ctx.url} refused the credentials (HTTP ${status})${q}`,
      'check the bearer token given to faultline (it is never printed) and that it may read the query API',
      'http',
      ctx.query,
    );
  }
  if (status === 404) {
    return new PrometheusError(
      'FAULTLINE_PROMETHEUS_UNREACHABLE',
      `no Prometheus query API at ${ctx.url} (HTTP 404)${q}`,
      'point faultline at the server root, e.g. http://127.0.0.1:9090, not at /graph or /api/v1',
      'http',
      ctx.query,
    );
  }
  return new PrometheusError(
    'FAULTLINE_PROMETHEUS_UNREACHABLE',
    `Prometheus at ${ctx.url} answered HTTP ${status} without an API response${q}`,
    'check that the URL reaches Prometheus itself and not an error page of a proxy in front of it',
    'http',
    ctx.query,
  );
}

/**
 * A call that got no answer at all. Deliberately built from the error's code only: an axios error carries the
 * request headers, and with them the bearer token, so it is never attached as a cause.
 */
export function fromNetworkError(error: unknown, ctx: CallContext): PrometheusError {
  const code = isAxiosError(error) ? error.code : undefined;
  const q = quoted(ctx.query);
  const why =
    code === 'ECONNREFUSED'
      ? 'nothing is listening there (connection refused)'
      : code === 'ECONNABORTED' || code === 'ETIMEDOUT'
        ? `it did not answer within ${formatDuration(ctx.timeoutMs)}`
        : code === 'ERR_CANCELED'
          ? 'it did not answer before the read was given up (its deadline passed)'
            : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'its host name does not resolve'
            : `the connection failed (${code ?? 'unknown error'})`;
  return new PrometheusError(
    'FAULTLINE_PROMETHEUS_UNREACHABLE',
    `cannot reach Prometheus at ${ctx.url}: ${why}${q}`,
    'start it (`faultline lab up` starts the lab one) or pass the right Prometheus URL',
    'network',
    ctx.query,
  );
}

function quoted(query: string | undefined): string {
  return query === undefined ? '' : `\n  query: ${query}`;
}
