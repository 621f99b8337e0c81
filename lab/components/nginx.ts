import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { cmdlineOf, findBinary, isAlive, spawnDaemon, waitFor, waitForPort, withDescendants } from '../process/index.ts';

export interface IngressOptions {
  region: string;
  port: number;
  /** service-main replicas, in order. */
  mainPorts: number[];
  /** service-backup replicas: only used when every main replica is unavailable. */
  backupPorts: number[];
  /** nginx's prefix: config, pid file and temp folders go here. */
  dir: string;
  logFile: string;
  accessLogFile: string;
  /** The reference service's own outbound timeout; the proxy waits a little longer than a read can take. */
  serviceTimeoutMs: number;
  /**
   * Answer `/healthz` here instead of passing it on, as an API gateway's own health endpoint does: the DR watcher's
   * checks then see the gateway (frozen in a region loss), not the HTTP faults of the mesh route behind it. Default false.
   */
  ownHealth?: boolean;
}

/** One region's ingress: a master and one worker, as the current user, with no system configuration involved. */
export async function startIngress(options: IngressOptions): Promise<{ pid: number }> {
  mkdirSync(options.dir, { recursive: true });
  const conf = join(options.dir, 'nginx.conf');
  writeFileSync(conf, ingressConfig(options));
  const proc = await spawnDaemon({
    command: findBinary('nginx'),
    // -e: without it nginx writes its startup errors to the system's /var/log/nginx before reading our config.
    args: ['-p', options.dir, '-c', conf, '-e', options.logFile],
    logFile: options.logFile,
  });
  await waitForPort(options.port, { timeoutMs: 10_000, pid: proc.pid });
  return { pid: proc.pid };
}

/**
 * Failover without failing:
 * - a dead replica refuses connections (`error`), a frozen one stops answering (`timeout`): both are retried on the
 *   next replica and mark the replica down for fail_timeout; service-backup only gets traffic when every main is down;
 * - a request that reached a replica is not retried for POST (nginx's default for non-idempotent methods), since
 *   the write may have happened: a duplicated item is worse than one visible error;
 * - http_503 is deliberately not a retry condition: the service answers 503 when a *dependency* fails (the jkt API
 *   across a partitioned link, its database), which every replica shares. Counting those as replica failures would
 *   mark every replica down during a write partition and turn healthy reads into "no live upstreams" 502s.
 */
export function ingressConfig(options: IngressOptions): string {
  const readTimeoutMs = 2 * options.serviceTimeoutMs + 400;
  const servers = [
    ...options.mainPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`),
    ...options.backupPorts.map((p) => `    server 127.0.0.1:${p} backup;`),
  ];
  const root = process.getuid?.() === 0;
  return `# written by faultline lab up for region ${options.region}
${root ? `user ${userInfo().username};\n` : ''}daemon off;
master_process on;
worker_processes 1;
pid ${join(options.dir, 'nginx.pid')};
error_log ${options.logFile} warn;

events {
  worker_connections 1024;
}

http {
  access_log ${options.accessLogFile} combined buffer=32k flush=2s;
  client_body_temp_path ${join(options.dir, 'client_body')};
  proxy_temp_path ${join(options.dir, 'proxy')};
  fastcgi_temp_path ${join(options.dir, 'fastcgi')};
  uwsgi_temp_path ${join(options.dir, 'uwsgi')};
  scgi_temp_path ${join(options.dir, 'scgi')};

  upstream service_${options.region} {
${servers.join('\n')}
    keepalive 16;
    # Shorter than Node's 5 s keep-alive, so nginx never reuses a connection the service is closing.
    keepalive_timeout 4s;
  }

  server {
    listen 127.0.0.1:${options.port};${options.ownHealth ? `
    location = /healthz {
      default_type application/json;
      return 200 '{"status":"ok","gateway":"${options.region}"}';
    }` : ''}
    location / {
      proxy_pass http://service_${options.region};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Faultline-Ingress ${options.region};
      proxy_connect_timeout 300ms;
      proxy_send_timeout ${readTimeoutMs}ms;
      proxy_read_timeout ${readTimeoutMs}ms;
      proxy_next_upstream error timeout http_502 http_504;
      proxy_next_upstream_tries 3;
      proxy_next_upstream_timeout ${2 * readTimeoutMs}ms;
    }
  }
}
`;
}

export interface GlobalEntryOptions {
  port: number;
  /** The ingress of the region users are sent to now. */
  activeIngressPort: number;
  activeRegion: string;
  dir: string;
  logFile: string;
  accessLogFile: string;
  serviceTimeoutMs: number;
}

/**
 * The global load balancer stand-in (the seeds' GSLB / geo DNS): every user enters here and is sent to the active
 * region's ingress. Failover repoints it by rewriting its one upstream and reloading (SIGHUP): new connections go to
 * the new region at once, requests in flight to the old one finish or time out.
 */
export async function startGlobalEntry(o: GlobalEntryOptions): Promise<{ pid: number; configFile: string }> {
  mkdirSync(o.dir, { recursive: true });
  const configFile = join(o.dir, 'nginx.conf');
  writeFileSync(configFile, globalEntryConfig(o));
  const proc = await spawnDaemon({ command: findBinary('nginx'), args: ['-p', o.dir, '-c', configFile, '-e', o.logFile], logFile: o.logFile });
  await waitForPort(o.port, { timeoutMs: 10_000, pid: proc.pid });
  return { pid: proc.pid, configFile };
}

/**
 * Points the running global entry at another region's ingress: rewrite, then SIGHUP its master (a graceful reload),
 * and wait until every worker started before the reload has stopped accepting. The new worker answers first, and an
 * old one keeps taking new connections to the old region until it handles the master's quit (in a CI run, the first
 * write after a failover still reached the lost region that way).
 */
export async function repointGlobalEntry(o: GlobalEntryOptions & { pid: number }, timeoutMs = 5_000): Promise<void> {
  const oldWorkers = nginxWorkers(o.pid);
  writeFileSync(join(o.dir, 'nginx.conf'), globalEntryConfig(o));
  process.kill(o.pid, 'SIGHUP');
  await waitFor('the global entry\'s old workers to stop accepting', async () => (oldWorkers.every((p) => !acceptsConnections(p)) ? true : undefined), {
    timeoutMs,
    intervalMs: 10,
  });
}

/** The worker processes of an NGINX master (every process under it but itself). */
export function nginxWorkers(masterPid: number): number[] {
  return withDescendants([masterPid]).filter((p) => p !== masterPid);
}

/**
 * Whether an NGINX worker still accepts connections: gone, or titled "worker process is shutting down", it does
 * not (NGINX sets that title as it closes its listening sockets, in the same step).
 */
function acceptsConnections(pid: number): boolean {
  const cmdline = cmdlineOf(pid);
  return isAlive(pid) && cmdline !== undefined && !cmdline.includes('shutting down');
}

export function globalEntryConfig(o: GlobalEntryOptions): string {
  const readTimeoutMs = 2 * o.serviceTimeoutMs + 400;
  const root = process.getuid?.() === 0;
  return `# written by faultline: global entry, sending users to ${o.activeRegion}
${root ? `user ${userInfo().username};\n` : ''}daemon off;
master_process on;
worker_processes 1;
pid ${join(o.dir, 'nginx.pid')};
error_log ${o.logFile} warn;

events {
  worker_connections 1024;
}

http {
  access_log ${o.accessLogFile} combined buffer=32k flush=2s;
  client_body_temp_path ${join(o.dir, 'client_body')};
  proxy_temp_path ${join(o.dir, 'proxy')};
  fastcgi_temp_path ${join(o.dir, 'fastcgi')};
  uwsgi_temp_path ${join(o.dir, 'uwsgi')};
  scgi_temp_path ${join(o.dir, 'scgi')};

  upstream active_region {
    server 127.0.0.1:${o.activeIngressPort};
  }

  server {
    listen 127.0.0.1:${o.port};
    location / {
      proxy_pass http://active_region;
      proxy_http_version 1.1;
      # A fresh connection per request: after a reload no request rides a kept-alive connection to the old region.
      proxy_set_header Connection close;
      proxy_set_header X-Faultline-Entry global;
      proxy_connect_timeout 300ms;
      proxy_send_timeout ${readTimeoutMs}ms;
      proxy_read_timeout ${readTimeoutMs}ms;
      # No retry: the global entry has one upstream; a failing region is the DR runbook's to handle, not nginx's.
      proxy_next_upstream off;
    }
  }
}
`;
}
