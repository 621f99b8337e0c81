/**
 * Stable error codes. Each maps to one exit code, so scripts and CI can branch on the kind of failure
 * without parsing messages.
 */
export type FaultlineErrorCode =
  | 'FAULTLINE_BAD_INPUT'
  | 'FAULTLINE_UNKNOWN_NAME'
  | 'FAULTLINE_NO_TARGETS'
  | 'FAULTLINE_BLAST_RADIUS'
  | 'FAULTLINE_BAD_PROMQL'
  | 'FAULTLINE_NO_DATA'
  | 'FAULTLINE_PROMETHEUS_UNREACHABLE'
  | 'FAULTLINE_SETUP_MISSING'
  | 'FAULTLINE_PORT_IN_USE'
  | 'FAULTLINE_LAB_NOT_RUNNING'
  | 'FAULTLINE_KUBE_CRD_MISSING'
  | 'FAULTLINE_KUBE_FORBIDDEN'
  | 'FAULTLINE_KUBE_DENIED'
  | 'FAULTLINE_KUBE_TIMEOUT'
  | 'FAULTLINE_KUBE_DAEMON_MISSING'
  | 'FAULTLINE_KUBE_UNREACHABLE'
  | 'FAULTLINE_WATCHDOG_DOWN'
  | 'FAULTLINE_LEDGER_UNWRITABLE'
  | 'FAULTLINE_DISK_FULL'
  | 'FAULTLINE_TARGET_BUSY'
  | 'FAULTLINE_INJECTION_FAILED'
  | 'FAULTLINE_REVERT_FAILED'
  /** A failover or failback runbook failed or timed out: a harness error (exit 5); every fault is still reverted. */
  | 'FAULTLINE_RUNBOOK_FAILED'
  | 'FAULTLINE_HARNESS';

/** An error a user can act on: `message` says what is wrong, `hint` says what to do next. */
export class FaultlineError extends Error {
  override readonly name = 'FaultlineError';
  constructor(
    readonly code: FaultlineErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(hint ? `${message}\n  → ${hint}` : message, options);
  }

  /** Errors found before anything was touched: the run refused to start and changed nothing. */
  get isPreflight(): boolean {
    return PREFLIGHT_CODES.has(this.code);
  }
}

const PREFLIGHT_CODES = new Set<FaultlineErrorCode>([
  'FAULTLINE_BAD_INPUT',
  'FAULTLINE_UNKNOWN_NAME',
  'FAULTLINE_NO_TARGETS',
  'FAULTLINE_BLAST_RADIUS',
  'FAULTLINE_BAD_PROMQL',
  'FAULTLINE_NO_DATA',
  'FAULTLINE_PROMETHEUS_UNREACHABLE',
  'FAULTLINE_SETUP_MISSING',
  'FAULTLINE_PORT_IN_USE',
  'FAULTLINE_LAB_NOT_RUNNING',
  'FAULTLINE_KUBE_CRD_MISSING',
  'FAULTLINE_KUBE_FORBIDDEN',
  'FAULTLINE_KUBE_UNREACHABLE',
  'FAULTLINE_WATCHDOG_DOWN',
  'FAULTLINE_LEDGER_UNWRITABLE',
  'FAULTLINE_DISK_FULL',
  'FAULTLINE_TARGET_BUSY',
]);

export function isFaultlineError(e: unknown): e is FaultlineError {
  return e instanceof Error && e.name === 'FaultlineError' && 'code' in e;
}

/** Several preflight problems reported at once, so a user fixes them in one pass rather than one per run. */
export class PreflightError extends FaultlineError {
  constructor(readonly problems: FaultlineError[]) {
    super(
      problems[0]?.code ?? 'FAULTLINE_BAD_INPUT',
      `preflight refused the run (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was injected:\n` +
        problems.map((p, i) => `  ${i + 1}. [${p.code}] ${p.message.replace(/\n/g, '\n     ')}`).join('\n'),
    );
  }
}
