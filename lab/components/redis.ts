import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { findBinary, spawnDaemon, waitFor } from '../process/index.ts';

export interface RedisOptions {
  port: number;
  dir: string;
  logFile: string;
}

/** One region's cache: no persistence, bounded memory, so a restart is a cold cache as it would be in the cloud. */
export async function startRedis(options: RedisOptions): Promise<{ pid: number }> {
  mkdirSync(options.dir, { recursive: true });
  const proc = await spawnDaemon({
    command: findBinary('redis-server'),
    args: [
      '--port', String(options.port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--dir', options.dir,
      '--maxmemory', '64mb',
      '--maxmemory-policy', 'allkeys-lru',
      '--daemonize', 'no',
    ],
    logFile: options.logFile,
  });
  await waitFor(`redis on ${options.port}`, async () => ((await redisPing(options.port)) ? true : undefined), { timeoutMs: 10_000, pid: proc.pid });
  return { pid: proc.pid };
}

/** PING over a raw socket: enough for a health check, without a client library's reconnect machinery. */
export function redisPing(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
