import { parseDuration } from './duration.ts';
import { FaultlineError } from './errors.ts';
import type { FaultSpec } from './fault.ts';
import type { SloSpec } from './slo.ts';
import { requireRegion, type Topology } from './topology.ts';

/**
 * A secret store the services read their credentials from: seed 003's Vault, a raft group in the primary region
 * with a node in every other region. The services' agents read through their own region's nodes.
 */
export interface SecretStore {
  name: string;
  engine: 'vault';
  /** Where the leader group (the raft voters) runs. */
  primaryRegion: string;
  /** How many nodes run in each region; the primary region's are the voters the leader is elected from. */
  nodes: { region: string; count: number }[];
}

export type SecretStoreLossSpec = Extract<FaultSpec, { kind: 'secretStoreLoss' }>;

export function requireSecretStore(topology: Topology, name: string): SecretStore {
  const stores = topology.secretStores ?? [];
  const store = stores.find((s) => s.name === name);
  if (!store) {
    throw new FaultlineError(
      'FAULTLINE_UNKNOWN_NAME',
      `unknown secret store "${name}" in topology "${topology.name}"`,
      `use one of: ${stores.map((s) => s.name).join(', ') || '(none defined: this topology has no secret store)'}`,
    );
  }
  return store;
}

/** Names exist and the scope fits: a leader is lost only where the leader group runs; a region's nodes where it has some. */
export function validateSecretStoreFault(spec: SecretStoreLossSpec, topology: Topology): void {
  const store = requireSecretStore(topology, spec.store);
  requireRegion(topology, spec.region);
  const scope = spec.scope ?? 'region';
  if (scope !== 'leader' && scope !== 'region') {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `scope "${scope}" is not leader or region`, 'leader: the active node only; region: every node of the store in the region');
  }
  if (scope === 'leader' && spec.region !== store.primaryRegion) {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      `secret store "${store.name}" elects its leader in ${store.primaryRegion}, not ${spec.region}`,
      `lose the leader with region: '${store.primaryRegion}', or lose ${spec.region}'s nodes with scope: 'region'`,
    );
  }
  if (!store.nodes.some((n) => n.region === spec.region && n.count > 0)) {
    throw new FaultlineError(
      'FAULTLINE_UNKNOWN_NAME',
      `secret store "${store.name}" has no node in region "${spec.region}"`,
      `its nodes run in: ${store.nodes.filter((n) => n.count > 0).map((n) => n.region).join(', ')}`,
    );
  }
}

type SecretSlo = Extract<SloSpec, { kind: 'secretReads' | 'secretLease' }>;

/** The secret-store SLOs' own rules; the region is checked with every SLO's. */
export function validateSecretSlo(slo: SecretSlo, topology: Topology, faults: Set<string>): void {
  if (!topology.secretStores?.length) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${topology.name}" has no secret store, so there are no secret reads to judge`, 'remove the SLO, or use a topology with secretStores');
  }
  switch (slo.kind) {
    case 'secretReads':
      if (!Number.isFinite(slo.threshold) || slo.threshold < 0) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `threshold ${slo.threshold} must be a count of reads, 0 or more`, "e.g. comparator: '>=', threshold: 1 (the outage was felt)");
      }
      return;
    case 'secretLease':
      if (!(slo.objective >= 0 && slo.objective <= 1)) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `objective ${slo.objective} is a ratio and must be between 0 and 1`, 'write 99% as 0.99');
      }
      if (slo.failBelow !== undefined && !(slo.failBelow > 0 && slo.failBelow <= 1)) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `failBelow ${slo.failBelow} is a ratio and must be in (0, 1]`, 'e.g. 0.9: availability under 90% counts as failed');
      }
      parseDuration(slo.within, 'within');
      if (slo.fault !== undefined && !faults.has(slo.fault)) {
        throw new FaultlineError('FAULTLINE_UNKNOWN_NAME', `names fault "${slo.fault}", which the scenario does not inject`, `faults: ${[...faults].join(', ') || '(none)'}`);
      }
      if (faults.size === 0) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'a lease SLO needs the fault that takes the secret store away');
      return;
  }
}
