import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from './proc.ts';

export interface WaitOptions {
  timeoutMs: number;
  /** Default 100 ms. */
  intervalMs?: number;
  /** Stop waiting early if this process dies: a crashed start should fail fast, not at the timeout. */
  pid?: number;
}

/** Thrown when a wait gives up; `reason` tells a timeout from a process that died while we waited. */
export class WaitError extends Error {
  constructor(
    readonly reason: 'timeout' | 'exited',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Polls `probe` until it returns a value other than undefined. Probe errors count as "not yet"; the last one is kept
 * for the timeout message because it usually says why (connection refused, wrong status...).
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = (e as Error).message;
    }
    if (options.pid !== undefined && !isAlive(options.pid)) {
      throw new WaitError('exited', `${what}: process ${options.pid} exited while we waited`);
    }
    if (Date.now() >= deadline) {
      throw new WaitError('timeout', `${what}: not ready after ${options.timeoutMs} ms${last ? ` (last error: ${last})` : ''}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function waitForPort(port: number, options: WaitOptions): Promise<true> {
  return waitFor(`port ${port}`, async () => ((await canConnect(port)) ? true : undefined), options);
}

/** Waits until `url` answers with `status` (default 200). Resolves with the body. */
export function waitForHttp(url: string, options: WaitOptions & { status?: number }): Promise<string> {
  const wanted = options.status ?? 200;
  return waitFor(
    url,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = await res.text();
      if (res.status !== wanted) throw new Error(`answered ${res.status}`);
      return body;
    },
    options,
  );
}
