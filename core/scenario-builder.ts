import type { Duration } from './duration.ts';
import type { FailoverPlan } from './failover.ts';
import { defaultFaultName, type FaultPlan, type FaultSpec } from './fault.ts';
import type { Guardrail } from './guardrail.ts';
import type { LoadProfile, RegionLoad } from './load-profile.ts';
import { DEFAULT_TIMELINE, type Scenario, type Timeline } from './scenario.ts';
import type { Severity, SloSpec } from './slo.ts';

/**
 * The fluent way to write a scenario:
 * ```ts
 * scenario('jkt-pod-loss', 'tri-region-tgw')
 *   .load(constantRate(20, ['jkt', 'bdg', 'sby']))
 *   .inject({ kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'fixed-percent', value: 50 }, { for: '60s' })
 *   .expect({ kind: 'availability', name: 'jkt availability', region: 'jkt', window: 'during', objective: 0.99 })
 *   .build();
 * ```
 */
export function scenario(name: string, topology: string): ScenarioBuilder {
  return new ScenarioBuilder(name, topology);
}

export class ScenarioBuilder {
  private description?: string;
  private level?: Severity;
  private profile: LoadProfile = { regions: {}, writeRatio: 0.2 };
  private times: Timeline = { ...DEFAULT_TIMELINE };
  private readonly faults: FaultPlan[] = [];
  private readonly slos: SloSpec[] = [];
  private readonly guardrails: Guardrail[] = [];
  private grace?: Duration;
  private plan?: FailoverPlan;

  constructor(
    private readonly name: string,
    private readonly topology: string,
  ) {}

  describe(text: string): this {
    this.description = text;
    return this;
  }

  severity(level: Severity): this {
    this.level = level;
    return this;
  }

  load(profile: LoadProfile): this {
    this.profile = profile;
    return this;
  }

  timeline(times: Partial<Timeline>): this {
    this.times = { ...this.times, ...times };
    return this;
  }

  /** Adds a fault held for `for`, starting `at` after the fault phase opens (default at once). */
  inject(spec: FaultSpec, options: { for: Duration; at?: Duration; name?: string }): this {
    this.faults.push({ name: options.name ?? defaultFaultName(spec), spec, at: options.at ?? '0s', duration: options.for });
    return this;
  }

  expect(...slos: SloSpec[]): this {
    this.slos.push(...slos);
    return this;
  }

  guardrail(...guardrails: Guardrail[]): this {
    this.guardrails.push(...guardrails);
    return this;
  }

  /** How the system fails over during the fault: a step of the timeline, with its runbook. Default: no failover. */
  failover(plan: FailoverPlan): this {
    this.plan = plan;
    return this;
  }

  /** Extra TTL beyond each fault's duration; the watchdog reverts a fault whose TTL passed. Default `'30s'`. */
  ttlGrace(grace: Duration): this {
    this.grace = grace;
    return this;
  }

  build(): Scenario {
    return {
      name: this.name,
      topology: this.topology,
      description: this.description,
      severity: this.level,
      load: this.profile,
      faults: [...this.faults],
      slos: [...this.slos],
      guardrails: [...this.guardrails],
      timeline: { ...this.times },
      ttlGrace: this.grace,
      ...(this.plan ? { failover: this.plan } : {}),
    };
  }
}

/** The same constant arrival rate (req/s) in each region. */
export function constantRate(rate: number, regions: string[], options: Partial<Omit<LoadProfile, 'regions'>> = {}): LoadProfile {
  const perRegion: Record<string, RegionLoad> = {};
  for (const region of regions) perRegion[region] = { executor: 'constant-arrival-rate', rate };
  return { writeRatio: 0.2, ...options, regions: perRegion };
}
