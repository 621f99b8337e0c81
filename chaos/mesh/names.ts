import { createHash } from 'node:crypto';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'faultline';
export const RUN_ID_LABEL = 'faultline.dev/run-id';
export const SCENARIO_LABEL = 'faultline.dev/scenario';
export const FAULT_LABEL = 'faultline.dev/fault';
export const REGION_LABEL = 'faultline.dev/region';
/** Label values are capped at 63 characters; the full names travel in annotations. */
export const SCENARIO_ANNOTATION = 'faultline.dev/scenario-name';
export const FAULT_ANNOTATION = 'faultline.dev/fault-name';

const MAX = 63;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * A DNS-1123 label (what Kubernetes requires of most object names) from run id, fault name and region.
 * Deterministic, so a crashed run's leftovers can be found by name. When the parts had to be cleaned or shortened,
 * a hash of the original is appended so that two different faults can never collapse to one name.
 */
export function resourceName(runId: string, fault: string, region: string): string {
  const raw = [runId, fault, region].join('-');
  const clean = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (clean === raw && clean.length <= MAX) return clean;
  const hash = shortHash(raw);
  const head = clean.slice(0, MAX - hash.length - 1).replace(/-+$/, '');
  return head ? `${head}-${hash}` : hash;
}

/** A valid label value (≤ 63 chars, alphanumeric at both ends), hashed when it had to be shortened. */
export function labelValue(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (clean.length <= MAX) return clean;
  const hash = shortHash(text);
  return `${clean.slice(0, MAX - hash.length - 1).replace(/[^A-Za-z0-9]+$/, '')}-${hash}`;
}

export interface FaultIdentity {
  runId: string;
  scenario: string;
  fault: string;
  region: string;
}

/** Labels every faultline resource carries: how `sweep` and `kubectl -l` find them. */
export function faultlineLabels(id: FaultIdentity): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [RUN_ID_LABEL]: labelValue(id.runId),
    [SCENARIO_LABEL]: labelValue(id.scenario),
    [FAULT_LABEL]: labelValue(id.fault),
    [REGION_LABEL]: labelValue(id.region),
  };
}

export function faultlineAnnotations(id: FaultIdentity): Record<string, string> {
  return { [SCENARIO_ANNOTATION]: id.scenario, [FAULT_ANNOTATION]: id.fault };
}

/** `managed-by=faultline`, narrowed to one run when given: the selector `sweep` deletes by. */
export function faultlineSelector(runId?: string): string {
  const parts = [`${MANAGED_BY_LABEL}=${MANAGED_BY}`];
  if (runId !== undefined) parts.push(`${RUN_ID_LABEL}=${labelValue(runId)}`);
  return parts.join(',');
}
