import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { findBinary, spawnDaemon, waitForHttp } from '../process/index.ts';

export interface NatsOptions {
  /** The server's name and JetStream domain: the region it lives in. */
  region: string;
  port: number;
  monitorPort: number;
  /** JetStream store and config go here. */
  dir: string;
  logFile: string;
  /** The primary's broker listens for leaf connections here. */
  leafListenPort?: number;
  /** The secondary's broker connects to the primary's as a leaf node through this port (a toxiproxy link). */
  leafRemotePort?: number;
}

/**
 * One region's broker: Debian's nats-server with JetStream, its own JetStream domain named after the region. The
 * secondary joins the primary as a leaf node across the link, which is what lets a stream in the secondary mirror one
 * in the primary (the mirror reads through the `$JS.<primary>.API` domain prefix).
 */
export async function startNats(o: NatsOptions): Promise<{ pid: number; url: string }> {
  mkdirSync(o.dir, { recursive: true });
  const conf = join(o.dir, 'nats.conf');
  const lines = [
    `server_name: ${o.region}`,
    `listen: 127.0.0.1:${o.port}`,
    `http: 127.0.0.1:${o.monitorPort}`,
    `jetstream { store_dir: "${join(o.dir, 'js')}", domain: ${o.region}, max_mem: 64MB, max_file: 512MB }`,
  ];
  if (o.leafListenPort !== undefined) lines.push(`leafnodes { listen: 127.0.0.1:${o.leafListenPort} }`);
  // A dead link is noticed within seconds, and a healed one rejoined within a second.
  if (o.leafRemotePort !== undefined) lines.push(`leafnodes { reconnect: 1, remotes: [ { url: "nats-leaf://127.0.0.1:${o.leafRemotePort}" } ] }`, 'ping_interval: 2', 'ping_max: 2');
  writeFileSync(conf, `# written by faultline lab up\n${lines.join('\n')}\n`);
  const proc = await spawnDaemon({ command: findBinary('nats-server'), args: ['-c', conf], logFile: o.logFile });
  await waitForHttp(`http://127.0.0.1:${o.monitorPort}/healthz?js-enabled-only=true`, { timeoutMs: 15_000, intervalMs: 100, pid: proc.pid });
  return { pid: proc.pid, url: `nats://127.0.0.1:${o.port}` };
}

/** A short-lived connection for setup and checks; fails fast when the broker does not answer. */
export function natsConnect(port: number, timeoutMs = 2_000): Promise<NatsConnection> {
  return connect({ servers: `127.0.0.1:${port}`, timeout: timeoutMs, reconnect: false, name: 'faultline-lab' });
}
