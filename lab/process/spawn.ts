import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SpawnOptions {
  command: string;
  args: string[];
  /** stdout and stderr are appended here; the file outlives the process so a failed start can be diagnosed. */
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
}

export interface SpawnedProcess {
  pid: number;
  /** Set when the process has exited while this Node process was still watching it. */
  exited(): boolean;
}

/**
 * Starts a long-running process in its own session, detached from the caller, so it survives the CLI that started
 * it and a Ctrl-C in the terminal does not reach it. Only its pid ties it to the lab afterwards.
 */
export function spawnDaemon(options: SpawnOptions): Promise<SpawnedProcess> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  return new Promise((resolve, reject) => {
    let exited = false;
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
      uid: options.user?.uid,
      gid: options.user?.gid,
    });
    closeSync(fd);
    child.once('error', (e) => reject(e));
    child.once('exit', () => {
      exited = true;
    });
    child.once('spawn', () => {
      child.unref();
      resolve({ pid: child.pid!, exited: () => exited });
    });
  });
}
