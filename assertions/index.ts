export { PrometheusClient, type PrometheusClientOptions, type ReadOptions, type RangeResult, type Sample, type Series } from './prometheus-client.ts';
export { PrometheusError, type PrometheusErrorType } from './prometheus-errors.ts';
export { chooseStep, MAX_POINTS_PER_SERIES } from './query-step.ts';
export {
  availabilityQuery,
  capacityQuery,
  capacityTargetsQuery,
  latencyQuantileQuery,
  matchers,
  replicaLagMaxQuery,
  replicaLagQuery,
  staleReadShareQuery,
  throughputQuery,
  type LoadSelector,
} from './sli-queries.ts';
export {
  availabilityGuardrail,
  capacityGuardrail,
  latencyGuardrail,
  replicaLagGuardrail,
  requestAvailabilityGuardrail,
  type AvailabilityGuardrailOptions,
  type CapacityGuardrailOptions,
  type GuardrailTiming,
  type LatencyGuardrailOptions,
  type ReplicaLagGuardrailOptions,
  type RequestAvailabilityGuardrailOptions,
} from './guardrails.ts';
export { burnRateGuardrails, GAME_DAY_BURN_PAIRS, type BurnRateGuardrailOptions, type BurnWindowPair } from './burn-rate-guardrails.ts';
export { budgetSpentQuery, burnRateQuery, burnRateThreshold, type ServiceSlo } from './error-budget.ts';
export { alertFiringQuery } from './alert-slo.ts';
export { findRecovery, type Recovery, type StepGrid } from './recovery.ts';
export { PrometheusSloJudge, type PrometheusSloJudgeOptions } from './prometheus-slo-judge.ts';
export { EvidenceJudge, DEFAULT_FAILOVER_RTO_THRESHOLD, type RunEvidence } from './evidence-judge.ts';
export { computeDataLoss, writesIn, type DataLossReport } from './data-loss.ts';
export { RTO_WINDOW_MS } from './availability-windows.ts';
export { rtoPhases, type RtoPhases } from './failover-rto.ts';
export { leaseOutage, type LeaseOutage } from './secret-lease.ts';
