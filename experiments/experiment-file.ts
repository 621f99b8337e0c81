import type {
  AvailabilityGuardrailOptions,
  CapacityGuardrailOptions,
  LatencyGuardrailOptions,
  ReplicaLagGuardrailOptions,
  RequestAvailabilityGuardrailOptions,
} from '../assertions/index.ts';
import type { Comparator, Duration, FaultSpec, Scenario, Timeline } from '../core/index.ts';

/*
 * The experiment file: the same model as the TypeScript builder (core/scenario-builder.ts), written as YAML or JSON.
 * The JSON Schema in experiments/schema/ is generated from these types (`npm run schema`), so a new fault kind, SLO
 * kind or scenario field added to core reaches the schema by regeneration, never by hand.
 */

/**
 * One experiment. Every scenario field of the model is here under the same name; the few that differ are the ones a
 * file writes more simply: faults carry their timing inline, guardrails have kinds, the timeline may be partial.
 */
export interface ExperimentFile extends Omit<Scenario, 'topology' | 'faults' | 'guardrails' | 'timeline'> {
  /** The schema this file follows; editors use it to complete and check. Ignored by faultline. */
  $schema?: string;
  /**
   * The topology it runs against: a registered name (`tri-region-tgw`), or a topology file (`.yaml`/`.yml`/`.json`)
   * relative to this file.
   */
  topology: string;
  /** Overrides of the default timeline: warmup `'5s'`, baseline `'20s'`, recovery `'30s'`. */
  timeline?: Partial<Timeline>;
  /** The faults, each placed on the timeline with `for` (how long it is held) and `at` (default `'0s'`). */
  faults: FaultStep[];
  /** Abort conditions watched during the fault window. Default: none. */
  guardrails?: GuardrailEntry[];
  /** When `faultline schedule` runs this experiment in a cluster, and what recurs in the background. `run` ignores it. */
  schedule?: ScheduleSection;
}

/** A scheduled game day: a Kubernetes CronJob runs the experiment on `cron`; background faults recur on their own. */
export interface ScheduleSection {
  /** Five fields (minute hour day-of-month month day-of-week), e.g. `'0 3 * * 1'`, or @daily, @weekly, @hourly… */
  cron: string;
  /** IANA time zone of `cron`, e.g. `Asia/Jakarta`. Default: the cluster controller's (UTC on most clusters). */
  timeZone?: string;
  /** Faults kept recurring between game days as Chaos Mesh Schedules, each occurrence held for `for`. Default: none. */
  background?: BackgroundFault[];
}

/** A fault Chaos Mesh injects on its own `cron`, held for `for` each time. */
export type BackgroundFault = FaultSpec & FaultTiming & { cron: string };

/** When a fault happens: the builder's `.inject(spec, { for, at, name })`, written inline beside the fault. */
export interface FaultTiming {
  /** How long the fault is held before it is reverted, e.g. `'60s'`. */
  for: Duration;
  /** Offset from the start of the fault phase. Default `'0s'`. */
  at?: Duration;
  /** Unique within the experiment. Default: kind and targets, e.g. `partition-jkt-bdg`. */
  name?: string;
}

/** A logical fault of core's model with its timing. */
export type FaultStep = FaultSpec & FaultTiming;

/** A guardrail named for what it watches; each compiles through the builder of the same name in assertions/. */
export type GuardrailEntry =
  | ({ kind: 'requestAvailability'; name: string } & RequestAvailabilityGuardrailOptions)
  | ({ kind: 'availability'; name: string } & AvailabilityGuardrailOptions)
  | ({ kind: 'latency'; name: string } & LatencyGuardrailOptions)
  | ({ kind: 'replicaLag'; name: string } & ReplicaLagGuardrailOptions)
  | ({ kind: 'capacity'; name: string } & CapacityGuardrailOptions)
  | QueryGuardrail;

/** Any PromQL: abort when `value comparator threshold` holds for `for`. The model's own guardrail, with a kind. */
export interface QueryGuardrail {
  kind: 'query';
  name: string;
  /** PromQL returning a single number. */
  query: string;
  comparator: Comparator;
  threshold: number;
  /** The condition must hold this long before the abort. Default `'0s'`. */
  for?: Duration;
  /** How often it is evaluated. Default `'1s'`. */
  every?: Duration;
}
