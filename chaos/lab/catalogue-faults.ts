import { FaultlineError, type FaultPlan, type FaultSpec, type PreparedFault } from '../../core/index.ts';
import type { LabSnapshot } from '../../lab/contract/index.ts';

export type CatalogueFault = Extract<FaultSpec, { kind: 'httpFault' | 'dnsFault' | 'timeSkew' | 'ioLatency' }>;

export function isCatalogueFault(spec: FaultSpec): spec is CatalogueFault {
  return spec.kind === 'httpFault' || spec.kind === 'dnsFault' || spec.kind === 'timeSkew' || spec.kind === 'ioLatency';
}

/** Resolves an HTTP, DNS, clock or disk fault against the running lab without changing it. */
export function selectCatalogueFault(spec: CatalogueFault, _lab: LabSnapshot): unknown[] {
  throw new FaultlineError('FAULTLINE_BAD_INPUT', `${spec.kind} has no lab primitive yet`, 'run it on Kubernetes (--target k8s), where Chaos Mesh carries it');
}

export async function prepareCatalogueFault(plan: FaultPlan & { spec: CatalogueFault }, lab: LabSnapshot, _context: { id: string; ttlMs: number }): Promise<PreparedFault> {
  selectCatalogueFault(plan.spec, lab);
  throw new Error('unreachable');
}
