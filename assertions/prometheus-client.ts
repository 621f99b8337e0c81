import axios, { type AxiosInstance } from 'axios';
import { FaultlineError, parseDuration, type Duration, type TimeRange } from '../core/index.ts';
import {
  fromEnvelope,
  fromHttpStatus,
  fromNetworkError,
  isErrorEnvelope,
  PrometheusError,
  type CallContext,
} from './prometheus-errors.ts';
import { chooseStep } from './query-step.ts';

export interface PrometheusClientOptions {
  /** Server root, e.g. `http://127.0.0.1:9090` (a path prefix such as `/prometheus` is kept). */
  url: string;
  /** Sent as `Authorization: Bearer …`. Never logged and never part of an error. Default: none. */
  bearerToken?: string;
  /** How long Prometheus may evaluate one query; sent as its `timeout` parameter. Default `'30s'`. */
  queryTimeout?: Duration;
  /** The finest step a range query may use: the scrape interval, since finer steps only repeat samples. Default `'1s'`. */
  minStep?: Duration;
}

/** One sample of an instant query. `at` is epoch milliseconds. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
  at: number;
}

/** One series of a range query; points are `[epoch ms, value]`. */
export interface Series {
  labels: Record<string, string>;
  points: [number, number][];
}

export interface RangeResult {
  /** The step actually used, in ms: never finer than `minStep`, never more than 11,000 points. */
  stepMs: number;
  series: Series[];
}

type RawValue = [number, string];
type RawData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value?: RawValue; histogram?: unknown }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values?: RawValue[]; histograms?: unknown }[] }
  | { resultType: 'scalar'; result: RawValue }
  | { resultType: 'string'; result: RawValue };

/** Lets a caller give up on a read: a guardrail's deadline, a bounded verdict. */
export interface ReadOptions {
  signal?: AbortSignal;
  /** Give up on this read after this long, ms. Default: the client's queryTimeout + 2 s. */
  timeoutMs?: number;
}

/** Far enough in the past that no data exists, so a query there only proves it parses. */
const EPOCH_PROBE_TIME = '1';

/** The Prometheus HTTP API over axios: instant and range queries and a syntax check, errors mapped to FaultlineError. */
export class PrometheusClient {
  /** The server's URL without credentials, safe to print. */
  readonly url: string;
  readonly queryTimeoutMs: number;
  readonly minStepMs: number;
  // Private fields keep the token out of JSON.stringify, util.inspect and error causes.
  readonly #http: AxiosInstance;
  #hasFormatQuery: boolean | undefined;

  constructor(options: PrometheusClientOptions) {
    const base = parseUrl(options.url);
    base.username = '';
    base.password = '';
    this.url = base.toString().replace(/\/+$/, '');
    this.queryTimeoutMs = parseDuration(options.queryTimeout ?? '30s', 'queryTimeout');
    this.minStepMs = parseDuration(options.minStep ?? '1s', 'minStep');
    this.#http = axios.create({
      baseURL: options.url.replace(/\/+$/, ''),
      // Prometheus's own timeout should answer first, with its own message; ours catches a hung server.
      timeout: this.queryTimeoutMs + 2_000,
      headers: options.bearerToken ? { Authorization: `Bearer ${options.bearerToken}` } : {},
      validateStatus: () => true,
      // The default proxy-from-environment would route 127.0.0.1 through an HTTP proxy on some CI machines.
      proxy: false,
    });
  }

  /** Instant query at `at` (epoch ms, default now). A scalar comes back as one sample without labels. */
  async query(query: string, at?: number, options: ReadOptions = {}): Promise<Sample[]> {
    const params: Record<string, string> = { query, timeout: this.#timeoutParam() };
    if (at !== undefined) params.time = toSeconds(at);
    const data = await this.#post<RawData>('/api/v1/query', params, query, options);
    switch (data.resultType) {
      case 'scalar':
        return [{ labels: {}, value: parseValue(data.result[1]), at: data.result[0] * 1_000 }];
      case 'vector':
        return data.result.map((r) => {
          if (!r.value) throw histogramResult(query);
          return { labels: r.metric, value: parseValue(r.value[1]), at: r.value[0] * 1_000 };
        });
      default:
        throw notANumber(query, data.resultType);
    }
  }

  /**
   * Range query over `range` (epoch ms). The step is `step` if given, coarsened so the answer stays under
   * Prometheus's 11,000-points-per-series limit and never finer than `minStep`.
   */
  async queryRange(query: string, range: TimeRange, step?: Duration, options: ReadOptions = {}): Promise<RangeResult> {
    const requested = step === undefined ? undefined : parseDuration(step, 'step');
    const stepMs = chooseStep(range.end - range.start, this.minStepMs, requested);
    const data = await this.#post<RawData>(
      '/api/v1/query_range',
      { query, start: toSeconds(range.start), end: toSeconds(range.end), step: toSeconds(stepMs), timeout: this.#timeoutParam() },
      query,
      options,
    );
    if (data.resultType !== 'matrix') throw notANumber(query, data.resultType);
    const series = data.result.map((r) => {
      if (!r.values) throw histogramResult(query);
      return { labels: r.metric, points: r.values.map(([t, v]): [number, number] => [Math.round(t * 1_000), parseValue(v)]) };
    });
    return { stepMs, series };
  }

  /**
   * Resolves when `query` parses, throws FAULTLINE_BAD_PROMQL with Prometheus's message when it does not.
   * Uses /api/v1/format_query (Prometheus ≥ 2.38), which parses without touching data; on older servers, an
   * instant query at the epoch, where no data exists, tells a parse error from an empty answer just as well.
   */
  async checkSyntax(query: string): Promise<void> {
    if (this.#hasFormatQuery !== false) {
      const res = await this.#send('/api/v1/format_query', { query }, query);
      if (res.status !== 404) {
        this.#hasFormatQuery = true;
        this.#unwrap(res, query);
        return;
      }
      this.#hasFormatQuery = false;
    }
    await this.#post('/api/v1/query', { query, time: EPOCH_PROBE_TIME, timeout: this.#timeoutParam() }, query);
  }

  /** Names of the alerting rules Prometheus evaluates: what an `alert` SLO may name. */
  async alertRuleNames(): Promise<string[]> {
    let res: { status: number; data: unknown };
    try {
      res = await this.#http.get('/api/v1/rules', { params: { type: 'alert' } });
    } catch (error) {
      throw fromNetworkError(error, this.#ctx('(alerting rules)'));
    }
    const data = this.#unwrap<{ groups: { rules: { name: string; type: string }[] }[] }>(res, '(alerting rules)');
    return [...new Set(data.groups.flatMap((g) => g.rules.filter((r) => r.type === 'alerting').map((r) => r.name)))];
  }

  /** Resolves when the query API answers; throws FAULTLINE_PROMETHEUS_UNREACHABLE otherwise. */
  async ping(options: ReadOptions = {}): Promise<void> {
    await this.query('vector(1)', undefined, options);
  }

  #timeoutParam(): string {
    return toSeconds(this.queryTimeoutMs);
  }

  async #post<T>(path: string, params: Record<string, string>, query: string, options: ReadOptions = {}): Promise<T> {
    return this.#unwrap<T>(await this.#send(path, params, query, options), query);
  }

  // Form-encoded POST: long PromQL would overflow a GET's URL, and Prometheus takes both.
  async #send(path: string, params: Record<string, string>, query: string, options: ReadOptions = {}): Promise<{ status: number; data: unknown }> {
    try {
      return await this.#http.post(path, new URLSearchParams(params), { signal: options.signal, ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }) });
    } catch (error) {
      throw fromNetworkError(error, { ...this.#ctx(query), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
    }
  }

  #unwrap<T>(res: { status: number; data: unknown }, query: string): T {
    if (isErrorEnvelope(res.data)) throw fromEnvelope(res.data, this.#ctx(query));
    const body = res.data as { status?: string; data?: T } | undefined;
    if (res.status >= 400 || body?.status !== 'success') throw fromHttpStatus(res.status, this.#ctx(query));
    return body.data as T;
  }

  #ctx(query: string): CallContext {
    return { url: this.url, query, timeoutMs: this.queryTimeoutMs };
  }
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      // Shown without any user:password@ part: a URL that fails to parse may still carry credentials.
      `"${text.replace(/\/\/[^/@]*@/, '//')}" is not a Prometheus URL`,
      'give the server root with its scheme, for example http://127.0.0.1:9090',
    );
  }
}

function toSeconds(ms: number): string {
  return String(ms / 1_000);
}

/** Prometheus writes non-finite values as strings Number() does not read: `+Inf`, `-Inf`, `NaN`. */
function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

function histogramResult(query: string): FaultlineError {
  return new PrometheusError(
    'FAULTLINE_BAD_PROMQL',
    `the query returns native histograms, not numbers\n  query: ${query}`,
    'wrap it in histogram_quantile(…), histogram_count(…) or histogram_sum(…) to get a number',
    'bad_data',
    query,
  );
}

function notANumber(query: string, resultType: string): FaultlineError {
  return new PrometheusError(
    'FAULTLINE_BAD_PROMQL',
    `the query returns a ${resultType}, not numbers\n  query: ${query}`,
    'an SLI must be an instant vector or a scalar; drop the [range] selector or aggregate it with *_over_time',
    'bad_data',
    query,
  );
}
