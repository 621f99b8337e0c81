import { join } from 'node:path';

/**
 * The HTTP-fault contract between the lab (which runs the route proxy, lab/components/route-proxy.ts) and the lab
 * driver (which puts a fault on one route): where each route's NGINX `location` lives, what it holds with and without
 * a fault, and the njs script that carries the fault.
 */
export interface LabRouteProxy {
  /** The region whose API the proxy fronts. */
  region: string;
  /** The one service it fronts, when it sits between a gateway and that service; absent: the region's whole API. */
  service?: string;
  pid: number;
  /** nginx's prefix folder; route files live under it. */
  dir: string;
  /** argv that makes this NGINX re-read its configuration (a graceful reload). */
  reload: string[];
  /** One listener per calling region. */
  routes: { from: string; port: number }[];
}

/**
 * The command that makes the route proxy re-read its routes and returns once it has: NGINX's reload returns when
 * signalled, while the old worker keeps serving its open keep-alive connections until they go idle. Waiting for
 * that worker to exit means every request after this reaches the new configuration (exact shares, clean reverts).
 */
export function reloadAndWaitArgv(proxy: Pick<LabRouteProxy, 'pid' | 'reload'>): string[] {
  const script = [
    'old=$(pgrep -P "$0" | tr "\\n" " ")',
    '"$@" || exit 1',
    'for i in $(seq 1000); do alive=0; for p in $old; do kill -0 "$p" 2>/dev/null && alive=1; done; [ "$alive" = 0 ] && exit 0; sleep 0.01; done',
    'echo "NGINX workers $old still serve after 10 s" >&2; exit 1',
  ].join('\n');
  return ['bash', '-c', script, String(proxy.pid), ...proxy.reload];
}

/** What the fault script needs: which requests, what share of them, and abort status or delay. */
export interface RouteFault {
  method?: string;
  path?: string;
  share: number;
  abort?: number;
  delayMs?: number;
}

export function routeFile(dir: string, from: string): string {
  return join(dir, 'routes', `${from}.conf`);
}

/** How many matching requests the route's fault has seen and hit, as `seen hit`; the driver resets it on apply. */
export function routeCounterFile(dir: string, from: string): string {
  return join(dir, 'routes', `${from}.count`);
}

/** A route without a fault: straight to the API. */
export function routeCleanConfig(): string {
  return '# no fault on this route\nlocation / {\n  try_files /.faultline-no-such-file @upstream;\n}\n';
}

/** A route with a fault: every request goes through the fault script, which passes most of them on. */
export function routeFaultConfig(fault: RouteFault, counterFile: string): string {
  const quoted = (v: string | number | undefined) => `"${String(v ?? '').replace(/["\\$;]/g, '')}"`;
  return [
    '# faultline httpFault on this route',
    'location / {',
    `  set $faultline_method ${quoted(fault.method?.toUpperCase())};`,
    `  set $faultline_path ${quoted(fault.path)};`,
    `  set $faultline_share ${quoted(fault.share)};`,
    `  set $faultline_abort ${quoted(fault.abort ?? 0)};`,
    `  set $faultline_delay_ms ${quoted(fault.delayMs ?? 0)};`,
    `  set $faultline_counter ${quoted(counterFile)};`,
    '  js_content faultline.handle;',
    '}',
    '',
  ].join('\n');
}

/**
 * njs, run by the route proxy's single worker. Exactly `share` of the matching requests are hit, spread evenly:
 * the n-th matching request is hit when floor(n × share) grows, so 30 % means 300 of 1,000, not about 300.
 * njs gives every request a fresh VM, so the count lives in a file; one worker handles requests one event at a
 * time, so reading and writing it cannot race.
 */
export const ROUTE_FAULT_SCRIPT = `// written by faultline lab up: the HTTP fault of one route
import fs from 'fs';

function handle(r) {
  var v = r.variables;
  var matches = (!v.faultline_method || r.method === v.faultline_method) && (!v.faultline_path || r.uri === v.faultline_path);
  if (!matches) {
    r.internalRedirect('@upstream');
    return;
  }
  var count = [0, 0];
  try {
    count = fs.readFileSync(v.faultline_counter, 'utf8').trim().split(' ').map(Number);
  } catch (e) {
    // no count yet: the first matching request
  }
  var seen = count[0] + 1;
  var hit = count[1];
  var hitNow = Math.floor(seen * Number(v.faultline_share) + 1e-9) > hit;
  fs.writeFileSync(v.faultline_counter, seen + ' ' + (hitNow ? hit + 1 : hit));
  if (!hitNow) {
    r.internalRedirect('@upstream');
    return;
  }
  var abort = Number(v.faultline_abort);
  if (abort > 0) {
    r.headersOut['Content-Type'] = 'application/json';
    r.headersOut['X-Faultline-Fault'] = 'httpFault';
    r.return(abort, JSON.stringify({ error: 'faultline httpFault: aborted with ' + abort }));
    return;
  }
  setTimeout(function () {
    r.internalRedirect('@upstream');
  }, Number(v.faultline_delay_ms));
}

export default { handle };
`;
