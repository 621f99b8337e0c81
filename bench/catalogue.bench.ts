/**
 * Figures for the fault catalogue on the real lab (issue 9), on a lab of its own in the benchmarks' port block
 * (base 21700: every offset of a lab, +0..+99, stays within 21700-21799). Prints figures; asserts nothing.
 * - kinds: injection latency (driver prepare + ledger + apply) and revert time per new kind, median and max of 5;
 * - share: the HTTP abort share achieved against the share asked, over 1,000 writes per share;
 * - vault: Jakarta's Vault re-election time after its leader is killed (bench/vault-election.ts);
 * - alert: alert detection delay against the fault's start, and resolution after the revert (bench/alert-detection.ts).
 * Run: npm run bench:catalogue. FAULTLINE_BENCH_ONLY=vault,alert runs the named sections alone;
 * FAULTLINE_BENCH_VAULT_ROUNDS (default 10) and FAULTLINE_BENCH_ALERT_ROUNDS (default 5) set their samples.
 */
import type { FaultSpec } from '../core/index.ts';
import { labDown, labUp, type LabState } from '../lab/index.ts';
import { readSecretStoreNodes, vaultHealth } from '../lab/contract/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../targets/index.ts';
import { alertDetection } from './alert-detection.ts';
import { applyBenchFault } from './bench-fault.ts';
import { vaultElection } from './vault-election.ts';

const RUN_DIR = '.faultline/lab-catalogue-bench';
const PORT_BASE = Number(process.env.FAULTLINE_BENCH_PORT_BASE ?? 21700);
const ROUNDS = 5;
const SECTIONS = ['kinds', 'share', 'vault', 'alert'] as const;
const only = process.env.FAULTLINE_BENCH_ONLY?.split(',').map((s) => s.trim());
const unknown = only?.filter((s) => !(SECTIONS as readonly string[]).includes(s)) ?? [];
if (unknown.length) {
  console.error(`FAULTLINE_BENCH_ONLY: unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const runs = (section: (typeof SECTIONS)[number]) => !only || only.includes(section);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A node the previous round held down is restarted by the supervisor after its delay; a loss needs it back first. */
async function storeBack(lab: LabState, region: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const health = await Promise.all(readSecretStoreNodes(lab.runDir).filter((n) => n.region === region).map((n) => vaultHealth(`http://127.0.0.1:${n.port}`)));
    if (health.includes('active')) return;
    if (Date.now() > deadline) throw new Error(`${region}'s Vault not back within 60 s: ${health.join(', ')}`);
    await sleep(100);
  }
}

async function kindLatencies(lab: LabState): Promise<void> {
  const kinds: { label: string; spec: FaultSpec }[] = [
    { label: 'httpFault abort', spec: { kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', share: 0.3, abort: 503 } },
    { label: 'httpFault delay', spec: { kind: 'httpFault', from: 'sby', service: 'service-main', region: 'jkt', share: 1, delay: '200ms' } },
    { label: 'dnsFault', spec: { kind: 'dnsFault', from: 'bdg', service: 'service-main', region: 'jkt' } },
    { label: 'timeSkew', spec: { kind: 'timeSkew', service: 'service-main', region: 'bdg', offset: '60s', mode: 'all' } },
    { label: 'ioLatency', spec: { kind: 'ioLatency', store: 'rds', region: 'jkt', delay: '20ms' } },
    { label: 'secretStoreLoss region', spec: { kind: 'secretStoreLoss', store: 'vault', region: 'bdg' } },
  ];
  console.log('kind                         inject median/max    revert median/max');
  for (const { label, spec } of kinds) {
    const inject: number[] = [];
    const revert: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      if (spec.kind === 'secretStoreLoss') await storeBack(lab, spec.region);
      const fault = await applyBenchFault(lab, spec, `bench-${spec.kind}-${i}`);
      inject.push(fault.injectMs);
      revert.push(await fault.revert());
    }
    const f = (xs: number[]) => `${median(xs).toFixed(1)} / ${Math.max(...xs).toFixed(1)} ms`;
    console.log(`${label.padEnd(28)} ${f(inject).padEnd(20)} ${f(revert)}`);
  }
  console.log('(secretStoreLoss leader: a kill with nothing to revert; its figure is the re-election, section vault)');
  await storeBack(lab, 'bdg');
}

async function abortShare(lab: LabState, share: number, n: number): Promise<number> {
  const fault = await applyBenchFault(lab, { kind: 'httpFault', from: 'bdg', service: 'service-main', region: 'jkt', share, abort: 503 }, `bench-share-${share}`, '5m');
  let failed = 0;
  const url = `${lab.nginx.find((x) => x.region === 'bdg')!.url}/items`;
  try {
    for (let k = 0; k < n; k++) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"body":"bench"}' });
      await res.text();
      if (res.status >= 500) failed++;
    }
  } finally {
    await fault.revert();
  }
  return failed / n;
}

console.log(`faultline catalogue benchmark: lab on 127.0.0.1:${PORT_BASE}+, sections ${SECTIONS.filter(runs).join(', ')}`);
const up = await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase: PORT_BASE, runDir: RUN_DIR });
const lab = up.state;
try {
  if (runs('kinds')) await kindLatencies(lab);
  if (runs('share')) {
    console.log('\nHTTP abort share over 1,000 bdg writes (asked → achieved)');
    for (const share of [0.1, 0.3, 0.5]) {
      const achieved = await abortShare(lab, share, 1_000);
      console.log(`  ${(share * 100).toFixed(0)}% → ${(achieved * 100).toFixed(1)}% (off by ${((achieved - share) * 100).toFixed(1)} points)`);
    }
  }
  if (runs('vault')) await vaultElection(lab, Number(process.env.FAULTLINE_BENCH_VAULT_ROUNDS ?? 10));
  if (runs('alert')) await alertDetection(lab, Number(process.env.FAULTLINE_BENCH_ALERT_ROUNDS ?? 5));
} finally {
  await labDown({ runDir: RUN_DIR });
}
