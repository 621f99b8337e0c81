/**
 * Figures for the fault catalogue on the real lab (its own, at port base 21100):
 * - injection latency (driver prepare + ledger + apply) and revert time per new kind, median and max of 5;
 * - the HTTP abort share achieved against the share asked, over 1,000 writes per share.
 * Run: npm run bench:catalogue
 */
import { LabFaultDriver } from '../chaos/index.ts';
import { Ledger, type FaultSpec, type LedgerEntry } from '../core/index.ts';
import { labDown, labUp, type LabState } from '../lab/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../targets/index.ts';

const RUN_DIR = '.faultline/lab-catalogue-bench';
const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function injectAndRevert(lab: LabState, spec: FaultSpec, i: number): Promise<{ injectMs: number; revertMs: number }> {
  const driver = new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });
  const ledger = new Ledger(lab.ledgerDir);
  const plan = { name: `bench-${spec.kind}-${i}`, spec, at: '0s', duration: '30s' };
  const t0 = performance.now();
  const prepared = await driver.prepare(plan, { runId: 'bench', scenario: 'bench', ttlMs: 60_000 });
  const entry: LedgerEntry = { id: `bench-${spec.kind}-${i}`, runId: 'bench', scenario: 'bench', target: 'lab', fault: plan.name, spec, createdAt: Date.now(), expiresAt: Date.now() + 60_000, revert: prepared.revert };
  ledger.record(entry);
  await prepared.apply();
  const injectMs = performance.now() - t0;
  const t1 = performance.now();
  await ledger.revert(entry);
  return { injectMs, revertMs: performance.now() - t1 };
}

async function abortShare(lab: LabState, share: number, n: number): Promise<number> {
  const driver = new LabFaultDriver({ runDir: lab.runDir, topology: triRegionTgw });
  const ledger = new Ledger(lab.ledgerDir);
  const spec: FaultSpec = { kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', share, abort: 503 };
  const plan = { name: `bench-share-${share}`, spec, at: '0s', duration: '5m' };
  const prepared = await driver.prepare(plan, { runId: 'bench', scenario: 'bench', ttlMs: 600_000 });
  const entry: LedgerEntry = { id: plan.name, runId: 'bench', scenario: 'bench', target: 'lab', fault: plan.name, spec, createdAt: Date.now(), expiresAt: Date.now() + 600_000, revert: prepared.revert };
  ledger.record(entry);
  await prepared.apply();
  let failed = 0;
  const url = `${lab.nginx.find((x) => x.region === 'bdg')!.url}/items`;
  try {
    for (let k = 0; k < n; k++) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"body":"bench"}' });
      await res.text();
      if (res.status >= 500) failed++;
    }
  } finally {
    await ledger.revert(entry);
  }
  return failed / n;
}

const up = await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase: 21100, runDir: RUN_DIR });
const lab = up.state;
try {
  const kinds: FaultSpec[] = [
    { kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', share: 0.3, abort: 503 },
    { kind: 'httpFault', from: 'sby', service: 'service-main', region: 'jkt', share: 1, delay: '200ms' },
    { kind: 'dnsFault', from: 'bdg', service: 'service-main', region: 'jkt' },
    { kind: 'timeSkew', service: 'service-main', region: 'bdg', offset: '60s', mode: 'all' },
  ];
  console.log('kind                         inject median/max    revert median/max');
  for (const spec of kinds) {
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await injectAndRevert(lab, spec, i));
    const f = (xs: number[]) => `${median(xs).toFixed(1)} / ${Math.max(...xs).toFixed(1)} ms`;
    const label = spec.kind === 'httpFault' ? `httpFault ${spec.abort ? 'abort' : 'delay'}` : spec.kind;
    console.log(`${label.padEnd(28)} ${f(runs.map((r) => r.injectMs)).padEnd(20)} ${f(runs.map((r) => r.revertMs))}`);
  }
  console.log('\nHTTP abort share over 1,000 bdg writes (asked → achieved)');
  for (const share of [0.1, 0.3, 0.5]) {
    const achieved = await abortShare(lab, share, 1_000);
    console.log(`  ${(share * 100).toFixed(0)}% → ${(achieved * 100).toFixed(1)}% (off by ${((achieved - share) * 100).toFixed(1)} points)`);
  }
} finally {
  await labDown({ runDir: RUN_DIR });
}
