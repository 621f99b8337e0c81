// npm run bench:mesh: the Chaos Mesh driver against three real loopback clusters (kube-apiserver, controller-manager,
// scheduler, kwok) with the real Chaos Mesh controller-manager and webhooks, as faultline's ServiceAccount. Prints
// figures; asserts nothing.
//   1. warm start of the three clusters (binaries already built), phase by phase;
//   2. create 100 PodChaos across the three contexts and confirm each reached AllInjected (the controller really
//      kills the pods; their ReplicaSets bring them back), then sweep them all;
//   3. an API server restarted while a revert is watching: time until the watch is re-established and the revert
//      confirmed;
//   4. the cold and warm build times of the binaries, as scripts/setup.sh recorded them.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshDriver } from '../chaos/mesh/index.ts';
import { defaultFaultName, toolsBinDir, type FaultPlan, type FaultSpec } from '../core/index.ts';
import { kubeDown, kubeUp, loadKubeConfig, restartComponent } from '../kube/index.ts';
import { cpuTicksOf } from '../lab/process/index.ts';
import { triRegionTgwKubernetes as binding } from '../targets/tri-region-tgw/kubernetes.ts';
import { triRegionTgw as topology } from '../targets/tri-region-tgw/topology.ts';

const COUNT = Number(process.env.FAULTLINE_BENCH_MESH_COUNT ?? 100);
const CONCURRENCY = Number(process.env.FAULTLINE_BENCH_MESH_CONCURRENCY ?? 10);
const PORT_BASE = Number(process.env.FAULTLINE_BENCH_MESH_PORT_BASE ?? 16_850);
const regions = Object.keys(binding.regions);
const f = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`);

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/** Pod kills spread over every region and workload, so no single ReplicaSet is hammered. */
function plans(count: number): FaultPlan[] {
  const kinds = (region: string): FaultSpec[] => [
    { kind: 'podKill', service: 'service-main', region, mode: 'one' },
    { kind: 'podKill', service: 'service-backup', region, mode: 'one' },
    { kind: 'cacheLoss', region },
  ];
  return Array.from({ length: count }, (_, i) => {
    const region = regions[i % regions.length]!;
    const spec = kinds(region)[Math.floor(i / regions.length) % 3]!;
    return { name: `${defaultFaultName(spec)}-${i}`, spec, at: '0s', duration: '5m' };
  });
}

function buildTimes(): string[] {
  const file = join(toolsBinDir(), '..', 'share', 'kube-build-times');
  if (!existsSync(file)) return ['(no record: run `npm run setup` to build and time the binaries)'];
  return readFileSync(file, 'utf8').trim().split('\n');
}

async function main(): Promise<void> {
  const runDir = mkdtempSync(join(tmpdir(), 'faultline-bench-mesh-'));
  try {
    console.log(`faultline mesh benchmark: real control planes for ${regions.length} contexts, real Chaos Mesh controller and webhooks`);
    const up = await kubeUp({ binding, runDir, portBase: PORT_BASE });
    console.log(`\nwarm start of ${up.state.clusters.length} clusters (binaries built): ${f(up.elapsedMs)}`);
    for (const [phase, ms] of Object.entries(up.phases)) console.log(`  ${phase.padEnd(52)} ${f(ms)}`);

    // Idle cost of the control plane (16 processes), sampled from /proc over 10 s: what it takes from a 2-core machine.
    const pids = up.state.processes.map((p) => p.pid);
    const ticks = () => pids.reduce((n, pid) => n + cpuTicksOf(pid), 0);
    const before = ticks();
    await new Promise((r) => setTimeout(r, 10_000));
    const idle = ((ticks() - before) / 100 / 10) * 100;
    console.log(`idle CPU of the ${pids.length} processes: ${idle.toFixed(0)} % of one core`);

    const opened: { attempt: number; at: number }[] = [];
    const driver = new MeshDriver({ binding, topology, kubeConfig: loadKubeConfig(up.state.kubeconfig), injectTimeout: '120s', revertTimeout: '120s', watchTimeout: '30s', onWatch: (w) => opened.push({ attempt: w.attempt, at: Date.now() }) });
    // Warm-up: the first request of each context pays for client construction and TLS setup.
    for (const r of regions) {
      const p = await driver.prepare({ name: `warmup-${r}`, spec: { kind: 'cacheLoss', region: r }, at: '0s', duration: '1m' }, { runId: 'warm', scenario: 'bench', ttlMs: 60_000 });
      await p.apply();
    }
    await driver.sweep({ runId: 'warm' });

    const perFault: number[] = [];
    const t0 = performance.now();
    await pool(plans(COUNT), CONCURRENCY, async (plan) => {
      const start = performance.now();
      await (await driver.prepare(plan, { runId: 'bench', scenario: 'mesh benchmark', ttlMs: 300_000 })).apply();
      perFault.push(performance.now() - start);
    });
    const createMs = performance.now() - t0;
    const t1 = performance.now();
    const swept = await driver.sweep({ runId: 'bench' });
    const sweepMs = performance.now() - t1;
    perFault.sort((a, b) => a - b);
    const q = (p: number) => perFault[Math.min(perFault.length - 1, Math.floor(p * perFault.length))]!;
    console.log(`\ncreate + confirm AllInjected: ${COUNT} PodChaos across ${regions.length} clusters in ${f(createMs)} (concurrency ${CONCURRENCY}; ${(createMs / COUNT).toFixed(1)} ms/resource amortised)`);
    console.log(`  per fault (create → AllInjected): median ${f(q(0.5))}, p95 ${f(q(0.95))}, max ${f(perFault.at(-1)!)}`);
    console.log(`sweep across ${regions.length} contexts: ${swept.length} resources deleted and confirmed gone in ${f(sweepMs)}`);

    // An API server restart while a revert watches: the controller is held (SIGSTOP) so the finalizer keeps the
    // resource until the restart is over, then continued.
    const jkt = binding.regions.jkt!.context;
    const chaos = up.state.processes.find((p) => p.name === `chaos-controller-manager ${jkt}`)!;
    const held = await driver.prepare({ name: 'restart', spec: { kind: 'podFailure', service: 'service-backup', region: 'jkt', mode: 'all' }, at: '0s', duration: '1m' }, { runId: 'restart', scenario: 'bench', ttlMs: 60_000 });
    await held.apply();
    opened.length = 0;
    process.kill(chaos.pid, 'SIGSTOP');
    const ref = held.revert.find((a) => a.type === 'driver')!;
    const reverting = driver.revertHandlers.kubernetes(ref.type === 'driver' ? ref.ref : {});
    while (opened.length === 0) await new Promise((r) => setTimeout(r, 20));
    const r0 = Date.now();
    const restart = await restartComponent({ runDir, name: `kube-apiserver ${jkt}` });
    process.kill(chaos.pid, 'SIGCONT');
    await reverting;
    const rewatch = opened.find((o) => o.at >= r0 + restart.downMs);
    console.log(`\nAPI server restart during a revert: stopped in ${f(restart.downMs)}, serving again (/readyz) ${f(restart.readyMs)} after the stop began`);
    console.log(`  watch re-established ${rewatch ? f(rewatch.at - r0) : '(not observed)'} after the stop began; revert confirmed ${f(Date.now() - r0)} after it (controller continued at ${f(restart.readyMs)})`);

    console.log('\nbinaries (scripts/setup.sh, go build from the module proxy, 2 cores):');
    for (const line of buildTimes()) console.log(`  ${line}`);
  } finally {
    await kubeDown({ runDir });
    rmSync(runDir, { recursive: true, force: true });
  }
}

await main();
