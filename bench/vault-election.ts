// Vault re-election time on the seed-003 lab (issue 9): Jakarta's active node is killed the way the
// `secretStoreLoss` leader fault kills it, and the survivors are watched through Vault's own API.
import type { LabState } from '../lab/index.ts';
import { readSecretStoreNodes, vaultCall, vaultHealth } from '../lab/contract/index.ts';
import { applyBenchFault } from './bench-fault.ts';
import { stats } from './safety-figures.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Fine enough against elections that take seconds, light enough to leave the 2 cores to Vault. */
const POLL_MS = 10;
const REGION = 'jkt';

const url = (port: number) => `http://127.0.0.1:${port}`;
const jktNodes = (lab: LabState) => readSecretStoreNodes(lab.runDir).filter((n) => n.region === REGION);

async function untilFormed(lab: LabState, timeoutMs = 60_000): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const health = await Promise.all(jktNodes(lab).map((n) => vaultHealth(url(n.port))));
    if (health.filter((h) => h === 'active').length === 1 && health.filter((h) => h === 'standby').length === health.length - 1) return;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${REGION}'s Vault did not come back to one active node and the rest standing by: ${health.join(', ')}`);
    await sleep(100);
  }
}

/** What sys/leader (unauthenticated, answered by standbys too) says on one node. */
async function leaderSeenBy(port: number): Promise<{ isSelf: boolean; leader: string } | undefined> {
  const reply = await vaultCall<{ is_self?: boolean; leader_address?: string }>(url(port), 'GET', 'sys/leader', { timeoutMs: 500 });
  if (reply.status !== 200 || !reply.body) return undefined;
  return { isSelf: reply.body.is_self === true, leader: reply.body.leader_address ?? '' };
}

/**
 * Each round: wait for the 3-node raft group to be whole (one active, two standing by), kill the active node, then
 * poll both survivors' /v1/sys/leader every 10 ms. "New leader answers": a survivor says it is the leader
 * (is_self). "Both agree": the other survivor names it too. "Old node back": the supervisor restarted and unsealed
 * the killed node and it stands by again (its restart delay included).
 */
export async function vaultElection(lab: LabState, rounds: number): Promise<void> {
  console.log(`\nVault re-election in ${REGION} (3-node raft group, active node SIGKILLed), ${rounds} rounds`);
  const elected: number[] = [];
  const agreed: number[] = [];
  const rejoined: number[] = [];
  console.log(`  round  killed        new leader    new leader answers  both agree  old node back`);
  for (let i = 0; i < rounds; i++) {
    await untilFormed(lab);
    const before = jktNodes(lab);
    const fault = await applyBenchFault(lab, { kind: 'secretStoreLoss', store: 'vault', region: REGION, scope: 'leader' }, `bench-vault-leader-${i}`);
    // The kill is the last thing apply does: the clock starts when it returns.
    const t0 = performance.now();
    try {
      const old = before.find((n) => n.name === fault.detail.leader)!;
      const survivors = before.filter((n) => n !== old);
      let leader: (typeof survivors)[number] | undefined;
      let electedMs = 0;
      let agreedMs = 0;
      while (performance.now() - t0 < 60_000) {
        const seen = await Promise.all(survivors.map((n) => leaderSeenBy(n.port)));
        const now = performance.now() - t0;
        const self = survivors.find((_, k) => seen[k]?.isSelf);
        if (!leader && self) {
          leader = self;
          electedMs = now;
        }
        if (leader && seen.every((s) => s && s.leader === url(leader!.port))) {
          agreedMs = now;
          break;
        }
        await sleep(POLL_MS);
      }
      if (!leader || !agreedMs) throw new Error(`no new ${REGION} leader answered within 60 s of killing ${old.name}`);
      await untilFormed(lab);
      const back = performance.now() - t0;
      elected.push(electedMs);
      agreed.push(agreedMs);
      rejoined.push(back);
      const s = (v: number) => `${(v / 1000).toFixed(2)} s`;
      console.log(`  ${String(i + 1).padEnd(5)}  ${old.name.padEnd(12)}  ${leader.name.padEnd(12)}  ${s(electedMs).padEnd(18)}  ${s(agreedMs).padEnd(10)}  ${s(back)}`);
    } finally {
      await fault.revert(); // nothing to take back for a leader kill (the supervisor restarts it); clears the ledger entry
    }
  }
  const line = (label: string, xs: number[]) => {
    const st = stats(xs);
    console.log(`  ${label.padEnd(38)} p50 ${(st.median / 1000).toFixed(2)} s, p95 ${(st.p95 / 1000).toFixed(2)} s, max ${(st.max / 1000).toFixed(2)} s`);
  };
  line('kill → new leader answers sys/leader', elected);
  line('kill → both survivors name it', agreed);
  line('kill → old node back, standing by', rejoined);
}
