import type { Duration } from './duration.ts';

/** Which of the matched instances a fault hits, mirroring Chaos Mesh's selector modes. */
export type SelectionMode =
  | { mode: 'one' }
  | { mode: 'all' }
  | { mode: 'fixed'; value: number }
  | { mode: 'fixed-percent'; value: number }
  | { mode: 'random-max-percent'; value: number };

/** A logical fault. Drivers translate it for their target; the scenario never names a target primitive. */
export type FaultSpec =
  | ({ kind: 'podKill'; service: string; region: string } & SelectionMode)
  | ({ kind: 'podFailure'; service: string; region: string } & SelectionMode)
  | ({ kind: 'containerKill'; service: string; region: string; container?: string } & SelectionMode)
  | { kind: 'partition'; regions: [string, string] }
  | { kind: 'latency'; regions: [string, string]; latency: Duration; jitter?: Duration }
  | { kind: 'replicaLag'; store: string; region: string; by: Duration }
  | { kind: 'stress'; service: string; region: string; cpuWorkers: number; load?: number }
  | { kind: 'cacheLoss'; region: string }
  | HttpFaultSpec
  | { kind: 'dnsFault'; from: string; service: string; region: string; action?: 'error' | 'random' }
  | ({ kind: 'timeSkew'; service: string; region: string; offset: Duration; backwards?: boolean } & SelectionMode)
  | { kind: 'ioLatency'; store: string; region: string; delay: Duration; percent?: number }
  /** The whole region is gone: every process of it frozen and every link to it blackholed, as one fault with one revert. */
  | { kind: 'regionLoss'; region: string }
  /** One datastore's primary is down (frozen); its copies are untouched. */
  | { kind: 'storeLoss'; store: string }
  /**
   * A secret store (topology.secretStores) loses its leader (`scope: 'leader'`, in the primary region: the active
   * node is killed and a new one must be elected), or every node it has in `region` (`scope: 'region'`, the default).
   */
  | { kind: 'secretStoreLoss'; store: string; region: string; scope?: 'leader' | 'region' };

/**
 * An HTTP fault on a route (topology.routes): `share` of the requests `from`'s services send to `service` in
 * `region` (narrowed to `method`/`path`) are answered with status `abort`, or held `delay` longer. Exactly one of
 * abort and delay.
 */
export interface HttpFaultSpec {
  kind: 'httpFault';
  /** The calling region. */
  from: string;
  /** The service that serves the route, and its region. */
  service: string;
  region: string;
  /** Default: every method the route takes. */
  method?: string;
  /** Default: every path the route takes. */
  path?: string;
  /** Share of matching requests hit, 0 < share ≤ 1. */
  share: number;
  /** The status the faulted requests get, e.g. 503. */
  abort?: number;
  /** How much longer the faulted requests take. */
  delay?: Duration;
}

export type FaultKind = FaultSpec['kind'];

/** A fault placed on the scenario's timeline. */
export interface FaultPlan {
  /** Unique within the scenario; used in names, ledger entries and reports. Defaults to kind + targets. */
  name: string;
  spec: FaultSpec;
  /** Offset from the start of the fault phase. Default `'0s'`. */
  at: Duration;
  /** How long the fault is held before it is reverted. */
  duration: Duration;
}

/** A one-line human description, used in logs, the journal and report titles. */
export function describeFault(spec: FaultSpec): string {
  switch (spec.kind) {
    case 'podKill':
    case 'podFailure':
    case 'containerKill':
      return `${spec.kind} ${spec.region}/${spec.service} (${describeMode(spec)})`;
    case 'partition':
      return `partition ${spec.regions[0]}↔${spec.regions[1]}`;
    case 'latency':
      return `latency ${spec.regions[0]}↔${spec.regions[1]} +${spec.latency}`;
    case 'replicaLag':
      return `replicaLag ${spec.store}@${spec.region} by ${spec.by}`;
    case 'stress':
      return `stress ${spec.region}/${spec.service} ×${spec.cpuWorkers} cpu`;
    case 'cacheLoss':
      return `cacheLoss ${spec.region}`;
    case 'httpFault':
      return `httpFault ${spec.from}→${spec.region}/${spec.service}${spec.method || spec.path ? ` ${[spec.method, spec.path].filter(Boolean).join(' ')}` : ''}: ${spec.abort !== undefined ? `abort ${spec.abort}` : `delay ${spec.delay}`} for ${+(spec.share * 100).toFixed(2)}%`;
    case 'dnsFault':
      return `dnsFault ${spec.from} cannot resolve ${spec.region}/${spec.service} (${spec.action ?? 'error'})`;
    case 'timeSkew':
      return `timeSkew ${spec.region}/${spec.service} ${spec.backwards ? '-' : '+'}${spec.offset} (${describeMode(spec)})`;
    case 'ioLatency':
      return `ioLatency ${spec.store}@${spec.region} +${spec.delay}${spec.percent !== undefined ? ` on ${spec.percent}%` : ''}`;
    case 'regionLoss':
      return `regionLoss ${spec.region}`;
    case 'storeLoss':
      return `storeLoss ${spec.store} (primary)`;
    case 'secretStoreLoss':
      return `secretStoreLoss ${spec.store}@${spec.region} (${spec.scope === 'leader' ? 'its leader' : 'every node there'})`;
  }
}

export function defaultFaultName(spec: FaultSpec): string {
  switch (spec.kind) {
    case 'partition':
    case 'latency':
      return `${spec.kind}-${spec.regions[0]}-${spec.regions[1]}`;
    case 'replicaLag':
      return `replica-lag-${spec.store}-${spec.region}`;
    case 'cacheLoss':
      return `cache-loss-${spec.region}`;
    case 'httpFault':
    case 'dnsFault':
      return `${spec.kind === 'httpFault' ? 'http' : 'dns'}-fault-${spec.from}-${spec.region}-${spec.service}`;
    case 'ioLatency':
      return `io-latency-${spec.store}-${spec.region}`;
    case 'regionLoss':
      return `region-loss-${spec.region}`;
    case 'storeLoss':
      return `store-loss-${spec.store}`;
    case 'secretStoreLoss':
      return `secret-store-loss-${spec.store}-${spec.region}${spec.scope === 'leader' ? '-leader' : ''}`;
    default:
      return `${spec.kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-${spec.region}-${spec.service}`;
  }
}

function describeMode(m: SelectionMode): string {
  return m.mode === 'one' || m.mode === 'all' ? m.mode : `${m.mode} ${m.value}`;
}

/** How many of `matched` instances a selection mode picks; Chaos Mesh rounds percentages down but never below one. */
export function selectionCount(m: SelectionMode, matched: number): number {
  switch (m.mode) {
    case 'one':
      return Math.min(1, matched);
    case 'all':
      return matched;
    case 'fixed':
      return Math.min(m.value, matched);
    case 'fixed-percent':
    case 'random-max-percent':
      return matched === 0 ? 0 : Math.max(1, Math.floor((matched * m.value) / 100));
  }
}
