// npm run bench:mesh: the Chaos Mesh driver against kube-sim (real HTTP, real @kubernetes/client-node). Prints
// figures; asserts nothing. What it measures is faultline's own overhead plus the simulator's: the fake controller's
// reconcile delays are printed with the results, and a real cluster adds its API and chaos-daemon latency on top.
//   1. create 100 chaos resources across three contexts and confirm each one reached AllInjected;
//   2. sweep them (delete, wait for AllRecovered or gone), across the three contexts.
import { KubeConfig } from '@kubernetes/client-node';
import { MeshDriver } from '../chaos/mesh/index.ts';
import { defaultFaultName, type FaultPlan, type FaultSpec } from '../core/index.ts';
import { KubeSim } from '../kube-sim/index.ts';
import { triRegionTgwKubernetes as binding } from '../targets/tri-region-tgw/kubernetes.ts';
import { triRegionTgw as topology } from '../targets/tri-region-tgw/topology.ts';

const COUNT = Number(process.env.FAULTLINE_BENCH_MESH_COUNT ?? 100);
const CONCURRENCY = Number(process.env.FAULTLINE_BENCH_MESH_CONCURRENCY ?? 10);
const stepDelayMs = Number(process.env.FAULTLINE_BENCH_MESH_STEP_MS ?? 20);
const recoverDelayMs = Number(process.env.FAULTLINE_BENCH_MESH_RECOVER_MS ?? 50);
const regions = Object.keys(binding.regions);
const contexts = regions.map((r) => binding.regions[r]!.context);

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

function plans(count: number): FaultPlan[] {
  const kinds = (region: string, i: number): FaultSpec[] => [
    { kind: 'podKill', service: 'service-main', region, mode: 'one' },
    { kind: 'podFailure', service: 'service-backup', region, mode: 'all' },
    { kind: 'stress', service: 'service-main', region, cpuWorkers: 1 + (i % 2) },
    { kind: 'cacheLoss', region },
  ];
  return Array.from({ length: count }, (_, i) => {
    const region = regions[i % regions.length]!;
    const spec = kinds(region, i)[Math.floor(i / regions.length) % 4]!;
    return { name: `${defaultFaultName(spec)}-${i}`, spec, at: '0s', duration: '5m' };
  });
}

async function main(): Promise<void> {
  const sim = await KubeSim.start({ clusters: contexts, chaosMesh: { stepDelayMs, recoverDelayMs } });
  try {
    for (const c of contexts) {
      const partOf = { 'app.kubernetes.io/part-of': 'tri-region' };
      sim.seedPods(c, 'shop', [
        ...[1, 2, 3, 4].map((i) => ({ name: `service-main-${i}`, labels: { ...partOf, 'app.kubernetes.io/name': 'service-main' } })),
        ...[1, 2].map((i) => ({ name: `service-backup-${i}`, labels: { ...partOf, 'app.kubernetes.io/name': 'service-backup' } })),
      ]);
      sim.seedPods(c, 'shop-data', [{ name: 'redis-0', labels: { ...partOf, 'app.kubernetes.io/name': 'redis' } }]);
    }
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(sim.kubeConfigOptions());
    const driver = new MeshDriver({ binding, topology, kubeConfig, injectTimeout: '60s', revertTimeout: '60s' });
    const all = plans(COUNT);

    console.log(`faultline mesh benchmark: ${COUNT} chaos resources over ${contexts.length} contexts (${contexts.join(', ')})`);
    console.log(`kube-sim on 127.0.0.1:${sim.port}; fake controller: ${stepDelayMs} ms per reconcile step (2 steps to AllInjected), finalizer held ${recoverDelayMs} ms`);
    // Warm-up: the first request of each context pays for client construction and connection setup.
    for (const r of regions) {
      const p = await driver.prepare({ name: `warmup-${r}`, spec: { kind: 'cacheLoss', region: r }, at: '0s', duration: '1m' }, { runId: 'warm', scenario: 'bench', ttlMs: 60_000 });
      await p.apply();
    }
    await driver.sweep({ runId: 'warm' });

    const perFault: number[] = [];
    const t0 = performance.now();
    await pool(all, CONCURRENCY, async (plan) => {
      const start = performance.now();
      await (await driver.prepare(plan, { runId: 'bench', scenario: 'mesh benchmark', ttlMs: 300_000 })).apply();
      perFault.push(performance.now() - start);
    });
    const createMs = performance.now() - t0;
    const live = contexts.reduce((n, c) => n + ['podchaos', 'stresschaos'].reduce((m, k) => m + sim.list(c, k).length, 0), 0);

    const t1 = performance.now();
    const swept = await driver.sweep({ runId: 'bench' });
    const sweepMs = performance.now() - t1;

    perFault.sort((a, b) => a - b);
    const q = (p: number) => perFault[Math.min(perFault.length - 1, Math.floor(p * perFault.length))]!;
    const f = (v: number) => `${v.toFixed(0)} ms`;
    console.log('');
    console.log(`create + confirm AllInjected: ${COUNT} resources in ${f(createMs)} (concurrency ${CONCURRENCY}; ${(createMs / COUNT).toFixed(1)} ms/resource amortised)`);
    console.log(`  per fault (create → AllInjected): median ${f(q(0.5))}, p95 ${f(q(0.95))}, max ${f(perFault.at(-1)!)}; ${live} live in the simulator`);
    console.log(`sweep across ${contexts.length} contexts: ${swept.length} resources deleted and confirmed recovered in ${f(sweepMs)}`);
    console.log(`API requests served: ${sim.requests.length} (watches opened: ${sim.watches.length})`);
  } finally {
    await sim.stop();
  }
}

await main();
