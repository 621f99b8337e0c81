import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FaultlineError, processStartTime, type FaultPlan, type PreparedFault, type RevertAction, type SecretStoreLossSpec } from '../../core/index.ts';
import { holdFileOf, readSecretStoreNodes, vaultHealth, type LabSecretStoreNode, type LabSnapshot } from '../../lab/contract/index.ts';

/** The store's live nodes in the fault's region; zero is an error, never a no-op. */
export function selectSecretStoreNodes(spec: SecretStoreLossSpec, lab: LabSnapshot): LabSecretStoreNode[] {
  if (!lab.state.secretStore) {
    throw new FaultlineError('FAULTLINE_NO_TARGETS', 'selector matched nothing: this lab runs no secret store', 'restart it with a topology that has one (faultline lab down && faultline lab up)');
  }
  const nodes = readSecretStoreNodes(lab.state.runDir).filter((n) => n.store === spec.store && n.region === spec.region && processStartTime(n.pid) !== undefined);
  if (nodes.length === 0) throw new FaultlineError('FAULTLINE_NO_TARGETS', `selector matched nothing: no live ${spec.store} node in region ${spec.region}`, 'check `faultline lab status`');
  return nodes;
}

/**
 * Loses a secret store's leader, or a region's nodes.
 * - `leader`: the node that answers sys/health as active is killed (SIGKILL). The rest of its raft group elects a
 *   new leader; the supervisor restarts the old one after the restart delay and unseals it, and it rejoins as a
 *   follower, as a StatefulSet pod with auto-unseal would. Nothing to revert.
 * - `region`: every node of the store in the region is held down (a hold file the supervisor honours) and killed,
 *   as Chaos Mesh's pod-failure does; the revert deletes the hold files, and the supervisor starts and unseals them.
 *   Killing rather than freezing keeps a node from coming back with a stale raft term that would unseat its leader.
 */
export async function prepareSecretStoreLoss(plan: FaultPlan & { spec: SecretStoreLossSpec }, lab: LabSnapshot, nodes: LabSecretStoreNode[]): Promise<PreparedFault> {
  const spec = plan.spec;
  if ((spec.scope ?? 'region') === 'leader') {
    const health = await Promise.all(nodes.map((n) => vaultHealth(`http://127.0.0.1:${n.port}`)));
    const leader = nodes[health.indexOf('active')];
    if (!leader) {
      throw new FaultlineError('FAULTLINE_NO_TARGETS', `selector matched nothing: no ${spec.store} node in ${spec.region} is the active leader now (${nodes.map((n, i) => `${n.name} ${health[i]}`).join(', ')})`, 'wait for the store to elect one, or check `faultline lab status`');
    }
    return { plan, detail: { leader: leader.name, pid: leader.pid }, revert: [], apply: async () => kill(leader.pid) };
  }
  const holds = nodes.map((n) => holdFileOf(lab.state.runDir, n.name));
  const revert: RevertAction[] = holds.map((file) => ({ type: 'exec', argv: ['rm', '-f', file] }));
  return {
    plan,
    detail: { nodes: nodes.map((n) => n.name), pids: nodes.map((n) => n.pid) },
    revert,
    apply: async () => {
      for (const file of holds) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${plan.name}\n`);
      }
      for (const n of nodes) kill(n.pid);
    },
  };
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}
