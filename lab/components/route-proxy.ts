import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { routeCleanConfig, ROUTE_FAULT_SCRIPT, routeFile, type LabRouteProxy } from '../contract/index.ts';
import { findBinary, NGINX_NJS_MODULE, spawnDaemon, waitForPort } from '../process/index.ts';

export interface RouteProxyOptions {
  /** The region whose API the routes reach. */
  region: string;
  /**
   * What the routes reach: the region's ingress (one port), or the replicas of one service when the proxy is the
   * mesh's sidecar layer between a gateway and that service (the active/passive lab's mesh route).
   */
  upstreamPorts: number[];
  /** The one service behind the proxy, when it fronts a service rather than the region's API. */
  service?: string;
  /** One listener per calling region. */
  routes: { from: string; port: number }[];
  /** nginx's prefix: config, route files, pid file and temp folders go here. */
  dir: string;
  logFile: string;
  /** The reference service's own outbound timeout; the proxy must never answer before the caller gives up. */
  serviceTimeoutMs: number;
}

/**
 * The proxy layer in front of a region's API, one listener per calling region, like the server-side Envoy of a
 * mesh: HTTP faults are injected here, never in the service's code. Each route's `location` lives in its own file;
 * a fault rewrites that file to hand matching requests to the fault script (njs) and reloads NGINX, a revert
 * writes the clean file back and reloads again. Without a fault the route is a plain proxy_pass.
 */
export async function startRouteProxy(options: RouteProxyOptions): Promise<{ pid: number; proxy: Omit<LabRouteProxy, 'pid'> }> {
  mkdirSync(join(options.dir, 'routes'), { recursive: true });
  const conf = join(options.dir, 'nginx.conf');
  writeFileSync(join(options.dir, 'route-fault.js'), ROUTE_FAULT_SCRIPT);
  for (const r of options.routes) writeFileSync(routeFile(options.dir, r.from), routeCleanConfig());
  writeFileSync(conf, routeProxyConfig(options));
  const nginx = findBinary('nginx');
  const proc = await spawnDaemon({ command: nginx, args: ['-p', options.dir, '-c', conf, '-e', options.logFile], logFile: options.logFile });
  for (const r of options.routes) await waitForPort(r.port, { timeoutMs: 10_000, pid: proc.pid });
  return {
    pid: proc.pid,
    proxy: { region: options.region, ...(options.service ? { service: options.service } : {}), dir: options.dir, reload: [nginx, '-p', options.dir, '-c', conf, '-e', options.logFile, '-s', 'reload'], routes: options.routes },
  };
}

function routeProxyConfig(o: RouteProxyOptions): string {
  const root = process.getuid?.() === 0;
  // Longer than the caller's own timeout: a slow primary must look like the caller's timeout, not a proxy 504.
  const readTimeoutMs = 2 * o.serviceTimeoutMs + 400;
  const servers = o.routes.map(
    (r) => `  server {
    listen 127.0.0.1:${r.port};
    set $faultline_from ${r.from};
    include ${routeFile(o.dir, r.from)};
    location @upstream {
      proxy_pass http://api_${o.region};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_read_timeout ${readTimeoutMs}ms;
      proxy_send_timeout ${readTimeoutMs}ms;
      proxy_connect_timeout 300ms;
      # A replica that refuses or does not answer is passed over for the next (a killed pod is the mesh's retry, as
      # at the ingress); a write that reached one is never sent twice: NGINX does not retry a sent POST.
      proxy_next_upstream error timeout;
    }
  }`,
  );
  return `# written by faultline lab up: the proxy layer in front of ${o.region}'s API
load_module ${NGINX_NJS_MODULE};
${root ? `user ${userInfo().username};\n` : ''}daemon off;
master_process on;
# One worker: the fault script counts requests to hit an exact share, and the count lives in the worker.
worker_processes 1;
pid ${join(o.dir, 'nginx.pid')};
error_log ${o.logFile} warn;

events {
  worker_connections 1024;
}

http {
  access_log off;
  client_body_temp_path ${join(o.dir, 'client_body')};
  proxy_temp_path ${join(o.dir, 'proxy')};
  fastcgi_temp_path ${join(o.dir, 'fastcgi')};
  uwsgi_temp_path ${join(o.dir, 'uwsgi')};
  scgi_temp_path ${join(o.dir, 'scgi')};
  js_path ${o.dir};
  js_import faultline from route-fault.js;

  upstream api_${o.region} {
${o.upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n')}
    keepalive 16;
    keepalive_timeout 4s;
  }

${servers.join('\n')}
}
`;
}


