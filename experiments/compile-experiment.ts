import { availabilityGuardrail, capacityGuardrail, latencyGuardrail, replicaLagGuardrail, requestAvailabilityGuardrail } from '../assertions/index.ts';
import { DEFAULT_TIMELINE, defaultFaultName, type FaultPlan, type FaultSpec, type Guardrail, type Scenario } from '../core/index.ts';
import type { ExperimentFile, FaultStep, GuardrailEntry } from './experiment-file.ts';

/**
 * An experiment file as the model's Scenario: exactly what the TypeScript builder would build from the same words,
 * so a file and its TypeScript twin run through one engine. Fields the file does not rewrite pass through as they
 * are, so a scenario field added to core works in files as soon as the schema is regenerated.
 */
export function compileExperiment(file: ExperimentFile, topologyName: string): Scenario {
  const { $schema: _schema, topology: _topology, schedule: _schedule, timeline, faults, guardrails, ...rest } = file;
  return {
    ...rest,
    topology: topologyName,
    faults: faults.map(faultPlan),
    guardrails: (guardrails ?? []).map(guardrailOf),
    timeline: { ...DEFAULT_TIMELINE, ...timeline },
  };
}

/** The builder's `.inject(spec, { for, at, name })`. */
export function faultPlan(step: FaultStep): FaultPlan {
  const { for: duration, at, name, ...spec } = step;
  return { name: name ?? defaultFaultName(spec as FaultSpec), spec: spec as FaultSpec, at: at ?? '0s', duration };
}

/** Each guardrail kind through the builder of the same name, so files and TypeScript get the same PromQL. */
export function guardrailOf(entry: GuardrailEntry): Guardrail {
  switch (entry.kind) {
    case 'requestAvailability': {
      const { kind: _k, name, ...options } = entry;
      return requestAvailabilityGuardrail(name, options);
    }
    case 'availability': {
      const { kind: _k, name, ...options } = entry;
      return availabilityGuardrail(name, options);
    }
    case 'latency': {
      const { kind: _k, name, ...options } = entry;
      return latencyGuardrail(name, options);
    }
    case 'replicaLag': {
      const { kind: _k, name, ...options } = entry;
      return replicaLagGuardrail(name, options);
    }
    case 'capacity': {
      const { kind: _k, name, ...options } = entry;
      return capacityGuardrail(name, options);
    }
    case 'query': {
      const { kind: _k, ...guardrail } = entry;
      return guardrail;
    }
  }
}
