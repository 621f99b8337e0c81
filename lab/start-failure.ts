import { readFileSync, statSync } from 'node:fs';
import { FaultlineError } from '../core/index.ts';

/** A component that did not come up: names it, quotes the end of its log, and points at the whole log. */
export function startFailure(component: string, logFile: string, cause: unknown): FaultlineError {
  if (cause instanceof FaultlineError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const tail = logTail(logFile);
  return new FaultlineError(
    'FAULTLINE_HARNESS',
    `${component} failed to start: ${reason}${tail ? `\n  its log ends with:\n${tail}` : ''}`,
    `read its log: ${logFile}`,
    { cause },
  );
}

function logTail(logFile: string, lines = 3): string {
  try {
    if (!statSync(logFile).isFile()) return '';
    return readFileSync(logFile, 'utf8')
      .split('\n')
      .map((l) => l.trimEnd())
      .filter(Boolean)
      .slice(-lines)
      .map((l) => `    ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`)
      .join('\n');
  } catch {
    return '';
  }
}
