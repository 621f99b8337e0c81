/**
 * The game-day load script, run by k6 itself (TypeScript natively, no bundler). Every k6 scenario is one region;
 * each iteration reads an item or, with probability writeRatio, writes one, through that region's ingress.
 * Everything the harness computed (options, ingress URLs, mix) arrives as JSON through FAULTLINE_K6_CONFIG.
 */
import exec from 'k6/execution';
import http from 'k6/http';
import { K6_CONFIG_ENV, SUMMARY_MARKER, type K6ScriptConfig } from './script-config.ts';

const raw = __ENV[K6_CONFIG_ENV];
if (!raw) throw new Error(`${K6_CONFIG_ENV} is not set: give it a path to the JSON config, or the JSON itself`);
// open() resolves relative paths against this script, so the harness always passes an absolute one.
const config: K6ScriptConfig = JSON.parse(raw.trimStart().startsWith('{') ? raw : open(raw));

export const options = config.options;

// 404 is a read of an id nobody wrote yet: the service answered correctly. Only these count as expected, so the
// `expected_response` label (and http_req_failed) mean "the system under test failed this request".
const EXPECTED_STATUSES = [200, 201, 404];
http.setResponseCallback(http.expectedStatuses(...EXPECTED_STATUSES));

const JSON_HEADERS = { 'Content-Type': 'application/json' };
// k6 provides console at runtime; @types/k6 does not declare it.
declare const console: { log(...values: unknown[]): void };
const stream = config.streamRequests === true;
const writeIdPrefix = config.writeIdPrefix ?? 'w';

/**
 * One iteration of one region's scenario; the scenario name is the region. With streamRequests on, the request is
 * logged when sent and when back (ARCHITECTURE.md, "The request stream"): one console line each, never a metric tag,
 * so per-request ids stay out of Prometheus.
 */
export function region(): void {
  const name = exec.scenario.name;
  const base = config.ingress[name];
  if (!base) throw new Error(`no ingress URL for region "${name}"`);
  const n = exec.scenario.iterationInTest;
  const write = Math.random() < config.writeRatio;
  const route = write ? 'write' : 'read';
  const sent = Date.now();
  // A write carries its own id and client timestamp, so the harness can read acknowledged writes back by id.
  const ack = write ? { id: `${writeIdPrefix}-${name}-${n}`, clientTs: sent } : {};
  if (stream) console.log(JSON.stringify({ kind: 'start', t: sent, region: name, n, route, ...ack }));
  // `name` groups every request of a route into one series whatever its URL.
  const res = write
    ? http.post(`${base}/items`, JSON.stringify({ ...ack, body: `k6 ${name} ${n}` }), {
        headers: JSON_HEADERS,
        timeout: config.requestTimeoutMs,
        tags: { route: 'write', name: '/items' },
      })
    : http.get(`${base}/items/${1 + Math.floor(Math.random() * config.itemCount)}`, {
        timeout: config.requestTimeoutMs,
        tags: { route: 'read', name: '/items/:id' },
      });
  if (!stream) return;
  const back = {
    kind: 'end',
    t: Date.now(),
    region: name,
    n,
    route,
    status: res.status,
    ok: EXPECTED_STATUSES.includes(res.status),
    durationMs: Math.round(res.timings.duration * 1000) / 1000,
    ...ack,
    ...(res.error ? { error: res.error } : {}),
  };
  console.log(JSON.stringify(back));
}

interface SummaryMetric {
  values: Record<string, number>;
}

/** Writes k6's summary data for the harness to parse, and a few readable lines per region for the log. */
export function handleSummary(data: { metrics: Record<string, SummaryMetric> }): Record<string, string> {
  const json = JSON.stringify(data);
  const lines = Object.keys(config.ingress).map((r) => {
    const reqs = data.metrics[`http_reqs{region:${r}}`]?.values;
    const failed = data.metrics[`http_req_failed{region:${r}}`]?.values;
    const duration = data.metrics[`http_req_duration{region:${r}}`]?.values;
    const dropped = data.metrics[`dropped_iterations{scenario:${r}}`]?.values;
    return (
      `${r}: ${reqs?.count ?? 0} requests (${(reqs?.rate ?? 0).toFixed(1)}/s), ${failed?.passes ?? 0} failed, ` +
      `${dropped?.count ?? 0} dropped, p95 ${(duration?.['p(95)'] ?? 0).toFixed(1)} ms`
    );
  });
  const text = `faultline k6 summary\n${lines.join('\n')}\n`;
  if (config.summaryPath) return { [config.summaryPath]: json, stdout: text };
  return { stdout: `${text}${SUMMARY_MARKER}${json}\n` };
}
