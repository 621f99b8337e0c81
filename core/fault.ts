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
  | { kind: 'cacheLoss'; region: string };

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
