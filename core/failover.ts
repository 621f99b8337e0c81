import type { Duration } from './duration.ts';

/**
 * How a system fails over: the runbook is the system's own. On the lab, faultline ships one (`lab`); on clusters it
 * is the user's command, HTTP call or Kubernetes Job. Plain data, so it can be written in an experiment file.
 */
export type Runbook =
  /** The embedded lab's DR service: promote the replica, the CDC copy and the mirror, repoint services, switch the global entry. */
  | { kind: 'lab' }
  /** A program run to completion; exit code 0 is success. `argv[0]` must exist (checked at preflight). */
  | { kind: 'command'; argv: string[]; env?: Record<string, string> }
  /** An HTTP call (a DR orchestrator's API, a pipeline trigger); 2xx is success unless `okStatuses` says otherwise. */
  | { kind: 'http'; method: 'POST' | 'PUT'; url: string; headers?: Record<string, string>; body?: unknown; okStatuses?: number[] }
  /** A Kubernetes Job created in `region`'s cluster; it succeeds when the Job does. */
  | { kind: 'job'; region: string; namespace: string; image: string; command: string[]; serviceAccountName?: string };

/** When the failover runbook runs. */
export type FailoverTrigger =
  /** Manual: `after` this long from the start of `fault` (default the scenario's first), the harness runs the runbook. */
  | { mode: 'manual'; after: Duration; fault?: string }
  /** Automatic: the system's own DR automation detects the loss and fails over; the harness waits up to `within` for it. */
  | { mode: 'automatic'; within: Duration };

/** Failover as a step of the timeline: when, how, and how long it may take. */
export interface FailoverPlan {
  /** The region users and writes are moved away from. */
  from: string;
  /** The region that takes over: its replicas are promoted. */
  to: string;
  trigger: FailoverTrigger;
  runbook: Runbook;
  /** Longest the runbook may take; past it the run is a harness error (every fault still reverted). Default `'60s'`. */
  timeout?: Duration;
  /** Fail back after the fault is reverted: `after` this long, with its own runbook (the reverse move). */
  failback?: { runbook: Runbook; after: Duration; timeout?: Duration };
}

/** Default of `FailoverPlan.timeout`. */
export const DEFAULT_RUNBOOK_TIMEOUT: Duration = '60s';

/** One line for logs and the journal: `lab DR service`, `command ./promote.sh`, `POST https://…`, `Job in …`. */
export function describeRunbook(r: Runbook): string {
  switch (r.kind) {
    case 'lab':
      return "the lab's DR service";
    case 'command':
      return `command ${r.argv.join(' ')}`;
    case 'http':
      return `${r.method} ${r.url}`;
    case 'job':
      return `Job (${r.image}) in ${r.region}/${r.namespace}`;
  }
}

/** What a runbook run reports back, journaled at its end. */
export interface RunbookOutcome {
  ok: boolean;
  /** Epoch ms the runbook started and ended (for an automatic failover: as the system reports them). */
  startedAt: number;
  endedAt: number;
  /** Automatic failovers: when the DR automation declared the region lost. */
  detectedAt?: number;
  /** What the runbook said: its steps, exit code, status, output tail. */
  detail: Record<string, unknown>;
  error?: string;
}
