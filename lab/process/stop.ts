import { setTimeout as sleep } from 'node:timers/promises';
import { cmdlineOf, isAlive } from './proc.ts';

export interface StopOptions {
  /** The polite signal; PostgreSQL wants SIGINT (fast shutdown), most others SIGTERM. Default SIGTERM. */
  signal?: NodeJS.Signals;
  /** After this long the process gets SIGKILL. Default 10 s. */
  graceMs?: number;
  /**
   * A word its command line must contain. A pid read from a file may have been reused by an unrelated process
   * since; in that case it is left alone.
   */
  expect?: string;
}

/** Outcome of a stop, for the lab's progress output. */
export type StopResult = 'stopped' | 'killed' | 'not-running' | 'pid-reused';

/** Stops one process by pid and waits until it is really gone. */
export async function stopPid(pid: number, options: StopOptions = {}): Promise<StopResult> {
  if (!isAlive(pid)) return 'not-running';
  if (options.expect !== undefined && !(cmdlineOf(pid) ?? '').includes(options.expect)) return 'pid-reused';
  signalIfAlive(pid, options.signal ?? 'SIGTERM');
  // A process frozen by a pod-failure fault would sit on the signal until continued.
  signalIfAlive(pid, 'SIGCONT');
  const deadline = Date.now() + (options.graceMs ?? 10_000);
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(50);
  }
  signalIfAlive(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return 'killed';
}

/** Sends a signal; a process already gone (ESRCH) is no error. */
export function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}
