import { parseDuration, type Duration } from './duration.ts';
import type { FailoverPlan } from './failover.ts';
import type { FaultPlan } from './fault.ts';
import type { Guardrail } from './guardrail.ts';
import type { LoadProfile } from './load-profile.ts';
import type { Severity, SloSpec } from './slo.ts';

/**
 * One experiment, laid out as a timeline:
 * preflight → load (warmup) → every SLI returns data → steady state (baseline) → faults injected, held and reverted
 * under guardrails → recovery under load → verdict.
 */
export interface Scenario {
  name: string;
  /** Name of the topology it runs against, e.g. `tri-region-tgw`. */
  topology: string;
  description?: string;
  /** Default `critical`. */
  severity?: Severity;
  load: LoadProfile;
  faults: FaultPlan[];
  slos: SloSpec[];
  guardrails: Guardrail[];
  timeline: Timeline;
  /** Extra time every fault's TTL gets beyond its duration, so a slow revert is never cut short. Default `'30s'` ({@link DEFAULT_TTL_GRACE}). */
  ttlGrace?: Duration;
  /** How the system fails over during the fault (and back after it), as a step of the timeline. Default: no failover. */
  failover?: FailoverPlan;
}

export interface Timeline {
  /** Load runs this long before the baseline window opens, so k6 and caches settle. Default `'5s'`. */
  warmup: Duration;
  /** Length of the baseline (steady-state) window before the first fault. Default `'20s'`. */
  baseline: Duration;
  /** Length of the recovery window after the last revert. Default `'30s'`. */
  recovery: Duration;
}

export const DEFAULT_TIMELINE: Timeline = { warmup: '5s', baseline: '20s', recovery: '30s' };

/** The TTL grace every fault gets unless its scenario says otherwise. */
export const DEFAULT_TTL_GRACE: Duration = '30s';

/** A fault's TTL: its duration plus the grace. After it, the watchdog (or Chaos Mesh's `duration`) reverts it. */
export function faultTtlMs(plan: FaultPlan, ttlGrace: Duration = DEFAULT_TTL_GRACE): number {
  return parseDuration(plan.duration, `fault "${plan.name}" duration`) + parseDuration(ttlGrace, 'ttlGrace');
}

/** How long after the fault phase opens the last scheduled revert is due. */
export function faultPhaseMs(scenario: Pick<Scenario, 'faults'>): number {
  return Math.max(0, ...scenario.faults.map((f) => parseDuration(f.at) + parseDuration(f.duration)));
}

/** Margin the load generator runs past the timeline; the engine stops it explicitly once recovery ends. */
const LOAD_OVERRUN_MS = 60_000;

/** How long the load generator is told to run: the whole timeline plus a margin, so it never stops first. */
export function loadDurationMs(scenario: Pick<Scenario, 'faults' | 'timeline'>): number {
  const t = scenario.timeline;
  return parseDuration(t.warmup) + parseDuration(t.baseline) + faultPhaseMs(scenario) + parseDuration(t.recovery) + LOAD_OVERRUN_MS;
}
