import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { RunbookOutcome } from '../core/index.ts';

/** Where a command resolves: an absolute or relative path that is executable, or the first match on PATH. */
export function resolveCommand(command: string): string | undefined {
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (isAbsolute(command) || command.includes('/')) return executable(command) ? command : undefined;
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command)).find(executable);
}

/** Runs the command to its end; exit 0 is success. Its output's last lines travel in the outcome for the journal. */
export function runCommand(argv: string[], env: Record<string, string> | undefined, timeoutMs: number, signal: AbortSignal): Promise<RunbookOutcome> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    const child = spawn(cmd!, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let why: string | undefined;
    const stop = (reason: string) => {
      why = reason;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
    };
    const timer = setTimeout(() => stop(`timed out after ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => stop('the run was aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (ok: boolean, error?: string, code?: number | null) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      const tail = output.trimEnd().split('\n').slice(-10);
      resolve({ ok, startedAt, endedAt: Date.now(), detail: { argv, exitCode: code ?? null, output: tail }, ...(error ? { error } : {}) });
    };
    child.once('error', (e) => finish(false, `could not start: ${e.message}`));
    child.once('exit', (code, sig) => {
      if (why) finish(false, why, code);
      else if (code === 0) finish(true, undefined, code);
      else finish(false, `exited with ${sig ?? `code ${code}`}`, code);
    });
  });
}
