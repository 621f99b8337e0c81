export { labUp } from './lab-up.ts';
export type { LabUpOptions, LabUpResult } from './lab-up.ts';
export { labDown, isLabAlive } from './lab-down.ts';
export type { LabDownOptions, LabDownResult } from './lab-down.ts';
export { labStatus } from './lab-status.ts';
export type { ComponentStatus, LabStatus, LabStatusOptions } from './lab-status.ts';
export { formatStatusTable } from './status-table.ts';
export {
  readLabState,
  readLabServices,
  readLabSnapshot,
  readJsonFile,
  readLeaseHolders,
  isLiveHolder,
  LAB_LEDGER_DIR,
  LAB_FAILOVER_FILE,
  type LabSnapshot,
  type LabState,
  type LabBinding,
  type LabFailoverRecord,
  type ActivePassiveShape,
} from './contract/index.ts';
export type { LabSafety, LedgerRow } from './lab-safety-status.ts';
export { planLab, plannedPorts, resolveBinding, PortOffsets, SEED_ITEM_COUNT, LAB_DATABASE } from './lab-plan.ts';
export { SecretStoreOffsets } from './vault/plan.ts';
export type { LabPlan, LabOverrides, PlannedService } from './lab-plan.ts';
export { startPrometheus, prometheusConfig } from './components/prometheus.ts';
export type { ScrapeTarget, ScrapeConfig, PrometheusOptions, StartedPrometheus } from './components/prometheus.ts';
export { queryPrometheus, waitForPrometheusData } from './components/prometheus-query.ts';
export type { PromSample } from './components/prometheus-query.ts';
export { labCpuTicks, labPids, labProcessGroups, CLOCK_TICKS_PER_SECOND } from './lab-cpu.ts';
export { alertmanagerAlerts } from './components/alertmanager.ts';
export { LabAlerts, labAlertRules } from './alert-rules.ts';
