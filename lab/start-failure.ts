import { FaultlineError } from '../core/index.ts';

/** A component that did not come up: names it and points at the log that says why. */
export function startFailure(component: string, logFile: string, cause: unknown): FaultlineError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (cause instanceof FaultlineError) return cause;
  return new FaultlineError('FAULTLINE_HARNESS', `${component} failed to start: ${reason}`, `read its log: ${logFile}`, { cause });
}
