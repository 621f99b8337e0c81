import type { Duration } from './duration.ts';

/**
 * The part of the run an SLO is judged over.
 * - `baseline`: steady state, before any fault.
 * - `during`: from the first injection to the last scheduled revert.
 * - `after`: the recovery window that follows the last revert.
 * - `whole`: load start to load end.
 */
export type SloWindow = 'baseline' | 'during' | 'after' | 'whole';
export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type Verdict = 'pass' | 'fail' | 'inconclusive';
export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';
/** Requests the load generator tags `route=read` (`GET /items/:id`) or `route=write` (`POST /items`). */
export type Route = 'read' | 'write';

interface SloBase {
  /** Unique within the scenario; it names the Allure step and the JUnit case. */
  name: string;
  window: SloWindow;
  /** Default `critical`. */
  severity?: Severity;
  /** Reported but never fails the run: the control group in a partition test, for instance. */
  informational?: boolean;
}

/** An objective computed from PromQL over a window. The queries themselves are built in assertions/. */
export type SloSpec = SloBase &
  (
    | {
        /** Share of requests that succeeded, client-side (k6), must be ≥ objective (0..1). */
        kind: 'availability';
        region: string;
        route?: Route;
        objective: number;
      }
    | {
        /** Client-side latency quantile must be ≤ objective. `outcome` restricts to failed or successful requests. */
        kind: 'latency';
        region: string;
        route?: Route;
        quantile: number;
        objective: Duration;
        outcome?: 'failed' | 'succeeded';
      }
    | {
        /** Max replication lag the replica's own heartbeat gauge reports, ≤ objective. */
        kind: 'replicaLag';
        region: string;
        objective: Duration;
      }
    | {
        /** Share of reads served data older than `staleAfter`, ≤ objective (0..1). */
        kind: 'freshness';
        region: string;
        staleAfter: Duration;
        objective: number;
      }
    | {
        /** Achieved request rate (req/s) ≥ objective. */
        kind: 'throughput';
        region: string;
        route?: Route;
        objective: number;
      }
    | {
        /**
         * Recovery time: from the fault's start (or revert) until the SLI is back within `threshold`
         * and stays there until the window ends; must be ≤ objective.
         * `capacity` counts healthy replicas of `service`; it recovers at `threshold` replicas (default: all).
         * `leader` follows the secret store `store`'s cluster in `region`: it recovers once a node there reports itself
         * the active leader again, so from a leader loss it times the re-election.
         */
        kind: 'rto';
        region: string;
        sli: 'availability' | 'capacity' | 'replicaLag' | 'leader';
        service?: string;
        /** The secret store whose leader the `leader` SLI follows (topology.secretStores). */
        store?: string;
        threshold?: number;
        from: 'faultStart' | 'faultEnd';
        /** Which fault the clock starts from; default the first one. */
        fault?: string;
        objective: Duration;
      }
    | {
        /**
         * Share of the service's error budget this run spent, ≤ objective (0..1). The service's own SLO is `target`
         * availability over `period` (e.g. 0.999 over '30d'); traffic is assumed to run all period at the window's rate,
         * so spent = error ratio × (window / period) / (1 − target). Client-side (k6), like availability.
         */
        kind: 'errorBudget';
        region: string;
        route?: Route;
        target: number;
        period: Duration;
        objective: number;
      }
    | {
        /**
         * The team's alert `alert` (an alerting rule Prometheus evaluates) fired within `within` of the fault's start
         * and was resolved by the window's end, after the revert. Read from Prometheus's ALERTS series.
         */
        kind: 'alert';
        alert: string;
        within: Duration;
        /** Which fault the clock starts from; default the first one. */
        fault?: string;
        /** Require the alert to have resolved after the revert. Default true. */
        resolves?: boolean;
      }
    | {
        /**
         * Recovery point, from acknowledged writes: every write the load sent in the window that the system
         * acknowledged is read back from the surviving primary after recovery. RPO is the span of acknowledged
         * writes lost: the acknowledgement time of the newest lost write minus the send time of the oldest one
         * (0 when none is lost). Must be ≤ objective. No acknowledged write in the window is inconclusive.
         */
        kind: 'rpo';
        objective: Duration;
        /** The store read back (a topology datastore name). Default: the store every write lands in. */
        store?: string;
      }
    | {
        /** Acknowledged writes lost, counted the same way as `rpo`: must be ≤ objective (0 for a synchronous store). */
        kind: 'dataLoss';
        objective: number;
        store?: string;
      }
    | {
        /**
         * Recovery time in phases, to the millisecond, from the load generator's own per-request results: detection,
         * the failover runbook, the first successful write, and availability back at `threshold` (default 0.99,
         * over a 1 s sliding window) and staying there to the window's end. The total from the fault's start must be
         * ≤ objective.
         */
        kind: 'failoverRto';
        /** Whose requests are measured: the users' region (its load enters through the global entry). */
        region: string;
        objective: Duration;
        threshold?: number;
        /** The fault the clock starts from. Default: the one the failover answers, else the scenario's first. */
        fault?: string;
      }
    | {
        /**
         * Secret reads that failed in the window: the calls the services' secret agents make to their region's
         * secret store (lease renewals and secret reads), counted and compared with `threshold`. `>= 1` shows that
         * a store outage was felt; `== 0` that the store was never missed.
         */
        kind: 'secretReads';
        /** Default: every region. */
        region?: string;
        comparator: Comparator;
        threshold: number;
      }
    | {
        /**
         * A region rides out the loss of its secret store on the lease its agent holds, then fails as designed.
         * Judged from the load generator's own per-request results, to the millisecond, and the agent's lease-expiry
         * gauge: availability of the requests sent from the fault's start until the lease expired stays ≥
         * `objective`, and availability over a 1 s sliding window falls below `failBelow` within `within` after the
         * expiry. The observed value is the time from the expiry to the failure; `timings` carries leaseExpiresAt and
         * failedAt.
         */
        kind: 'secretLease';
        region: string;
        route?: Route;
        objective: number;
        /** Availability under this counts as failed. Default 0.9. */
        failBelow?: number;
        within: Duration;
        /** Which fault takes the store away; default the first one. */
        fault?: string;
      }
    | {
        /** Any PromQL returning one series; `aggregate` folds its samples over the window. */
        kind: 'custom';
        query: string;
        aggregate: 'max' | 'min' | 'avg' | 'last';
        comparator: Comparator;
        threshold: number;
        unit?: string;
      }
  );

export type SloKind = SloSpec['kind'];

/** SLO kinds judged from the run's own evidence (acknowledged writes read back, per-request results), not PromQL. */
export const EVIDENCE_SLO_KINDS = ['rpo', 'dataLoss', 'failoverRto', 'secretLease'] as const;
export type EvidenceSlo = Extract<SloSpec, { kind: (typeof EVIDENCE_SLO_KINDS)[number] }>;
/** SLO kinds judged from Prometheus. */
export type PromSlo = Exclude<SloSpec, EvidenceSlo>;

export function isEvidenceSlo(slo: SloSpec): slo is EvidenceSlo {
  return (EVIDENCE_SLO_KINDS as readonly string[]).includes(slo.kind);
}

export interface TimeRange {
  start: number;
  end: number;
}

/** One SLO's judgement, as written to the journal and rendered in reports. */
export interface SloResult {
  name: string;
  kind: SloKind;
  window: SloWindow;
  range: TimeRange;
  verdict: Verdict;
  informational: boolean;
  severity: Severity;
  /** The measured value in `unit`, absent when there was no data. */
  observed?: number;
  /** Human form of the objective, e.g. `≥ 99%` or `≤ 2s`. */
  objective: string;
  unit: string;
  query: string;
  /** Why the verdict is what it is, in a sentence. */
  reason: string;
  /**
   * Instants the SLO found, epoch ms: for `alert`, `firedAt` and `resolvedAt` (the detection phase of an RTO starts
   * at the fault and ends at `firedAt`). Absent for kinds that find none.
   */
  timings?: Record<string, number>;
  /** Set on an inconclusive result when the source could not be read at all (down, hung, erroring). */
  unreadable?: boolean;
  /** What an evidence-based SLO saw (rpo, dataLoss, failoverRto): counts, lost ids, phases. Rendered by reports. */
  evidence?: Record<string, unknown>;
  /** Set on an inconclusive result when its window did not get the load asked for: the load generator was the limit. */
  loadShort?: boolean;
}

export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}
