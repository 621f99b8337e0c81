import type { Duration } from './duration.ts';
import type { FaultPlan } from './fault.ts';
import type { Guardrail } from './guardrail.ts';
import type { LoadProfile } from './load-profile.ts';
import type { Severity, SloSpec } from './slo.ts';

/**
 * One experiment, laid out as a timeline:
 * preflight → steady state → load → faults injected, held and reverted → recovery → verdict.
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
  /** Extra time every fault's TTL gets beyond its duration, so a slow revert is never cut short. Default `'30s'`. */
  ttlGrace?: Duration;
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
