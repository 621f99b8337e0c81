import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { processStartTime } from './proc-stat.ts';

/**
 * A revert written down as data, so that something other than the harness that injected the fault (the lab
 * watchdog, `faultline cleanup`) can carry it out after the harness is gone.
 */
export type RevertAction =
  | { type: 'http'; method: 'POST' | 'DELETE' | 'PUT'; url: string; body?: unknown; okStatuses?: number[] }
  | {
      type: 'signal';
      /** Negative: the whole process group of -pid (a PostgreSQL server with its backends, an nginx master with its workers). */
      pid: number;
      signal: NodeJS.Signals;
      /** /proc start time of the process when it was chosen; a different one means the pid was reused. */
      startTime?: string;
    }
  | { type: 'exec'; argv: string[]; env?: Record<string, string> }
  /** Handled by a driver (for example deleting a Chaos Mesh resource); core only carries it. */
  | { type: 'driver'; driver: string; ref: Record<string, unknown> };

const execFileAsync = promisify(execFile);

export type DriverRevertHandler = (ref: Record<string, unknown>) => Promise<void>;

/** Carries out one revert action. Idempotent by design: reverting twice is harmless. */
export async function runRevertAction(
  action: RevertAction,
  drivers: Record<string, DriverRevertHandler> = {},
): Promise<void> {
  switch (action.type) {
    case 'http': {
      const res = await fetch(action.url, {
        method: action.method,
        headers: action.body === undefined ? {} : { 'content-type': 'application/json' },
        body: action.body === undefined ? undefined : JSON.stringify(action.body),
        signal: AbortSignal.timeout(5_000),
      }).catch((e: unknown) => {
        // fetch says only "fetch failed"; the cause says what: ECONNREFUSED, a timeout…
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(`${action.method} ${action.url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
      });
      const ok = res.ok || (action.okStatuses ?? [404]).includes(res.status);
      if (!ok) throw new Error(`${action.method} ${action.url} answered ${res.status}: ${await res.text()}`);
      return;
    }
    case 'signal': {
      if (action.startTime !== undefined && processStartTime(Math.abs(action.pid)) !== action.startTime) return; // gone or reused
      try {
        process.kill(action.pid, action.signal);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
      return;
    }
    case 'exec': {
      const [cmd, ...args] = action.argv;
      if (!cmd) throw new Error('exec revert action with an empty argv');
      await execFileAsync(cmd, args, { env: { ...process.env, ...action.env }, timeout: 10_000 });
      return;
    }
    case 'driver': {
      const handler = drivers[action.driver];
      if (!handler) throw new Error(`no revert handler registered for driver "${action.driver}"`);
      await handler(action.ref);
      return;
    }
  }
}
