import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration, type LoadProfile } from '../core/index.ts';
import type { LabState } from '../lab/index.ts';
import { CLOCK_TICKS_PER_SECOND, labCpuTicks, labDown, labUp } from '../lab/index.ts';
import { LocalK6Runner } from '../load/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../targets/index.ts';

/**
 * Lab benchmark (npm run bench:lab): lab-up time cold (fresh folder: initdb, pg_basebackup) and warm (data kept by
 * `lab down --keep-data`), the lab's CPU at idle, and k6's achieved rate against target per region at three load
 * levels with the lab's CPU at each. Prints numbers; asserts nothing.
 *
 * Env: FAULTLINE_BENCH_PORT_BASE (default 19100, beside a dev lab on 19000), FAULTLINE_BENCH_LEVELS (default
 * "10,30,60" requests/s per region), FAULTLINE_BENCH_LEVEL_SECONDS (default 20).
 */

export interface CpuSample {
  /** Share of one core, per process group and in total: 1.0 is one core fully busy. */
  byGroup: Record<string, number>;
  total: number;
  /** The whole machine (all processes, k6 included), as a share of one core. */
  machine: number;
}

/** CPU use of the lab's processes (and of the machine) over `durationMs`, or over what `during` takes. */
export async function measureLabCpu(runDir: string, durationMs: number, during?: () => Promise<unknown>): Promise<CpuSample & { elapsedMs: number }> {
  const before = labCpuTicks(runDir);
  const machineBefore = machineBusyTicks();
  const t0 = Date.now();
  await (during ? during() : sleep(durationMs));
  const elapsedMs = Date.now() - t0;
  const after = labCpuTicks(runDir);
  const seconds = elapsedMs / 1000;
  const byGroup = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, Math.max(0, v - (before[k] ?? 0)) / CLOCK_TICKS_PER_SECOND / seconds]));
  const total = Object.values(byGroup).reduce((a, b) => a + b, 0);
  return { byGroup, total, machine: (machineBusyTicks() - machineBefore) / CLOCK_TICKS_PER_SECOND / seconds, elapsedMs };
}

export interface LoadLevelResult {
  ratePerRegion: number;
  regions: { region: string; target: number; achieved: number; failedPct: number; p95Ms: number; dropped: number }[];
  cpu: CpuSample;
}

/**
 * The hook for rate-vs-target: one constant-arrival-rate k6 run against every region's ingress (remote-writing to
 * the lab's Prometheus, as a game day does), measuring the lab's CPU while it runs.
 */
export async function measureLoadLevel(state: LabState, ratePerRegion: number, options: { durationMs: number; outDir: string }): Promise<LoadLevelResult> {
  const regions = state.nginx.map((n) => n.region);
  const profile: LoadProfile = {
    regions: Object.fromEntries(regions.map((r) => [r, { executor: 'constant-arrival-rate' as const, rate: ratePerRegion }])),
    writeRatio: 0.2,
  };
  const runner = new LocalK6Runner({
    ingress: Object.fromEntries(state.nginx.map((n) => [n.region, n.url])),
    outDir: options.outDir,
    prometheusUrl: state.prometheus.url,
  });
  const run = await runner.start(profile, { runId: `bench-${ratePerRegion}`, scenario: `bench ${ratePerRegion} rps`, durationMs: options.durationMs });
  const cpu = await measureLabCpu(state.runDir, options.durationMs, () => run.done);
  const summary = await run.done;
  return {
    ratePerRegion,
    regions: summary.regions.map((r) => ({
      region: r.region,
      target: r.targetRate ?? ratePerRegion,
      achieved: r.achievedRate,
      failedPct: r.requests ? (100 * r.failed) / r.requests : 0,
      p95Ms: r.latencyMs.p95,
      dropped: r.droppedIterations,
    })),
    cpu,
  };
}

/** Busy ticks of the whole machine since boot (all of /proc/stat's cpu line but idle and iowait). */
function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

function printCpu(label: string, cpu: CpuSample): void {
  const groups = Object.entries(cpu.byGroup)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${pct(v)}`)
    .join(', ');
  console.log(`${label}: lab ${pct(cpu.total)} of one core (machine ${pct(cpu.machine)}) · ${groups}`);
}

async function main(): Promise<void> {
  const portBase = Number(process.env.FAULTLINE_BENCH_PORT_BASE ?? 19100);
  const levels = (process.env.FAULTLINE_BENCH_LEVELS ?? '10,30,60').split(',').map(Number);
  const levelMs = Number(process.env.FAULTLINE_BENCH_LEVEL_SECONDS ?? 20) * 1000;
  const runDir = mkdtempSync(join(tmpdir(), 'faultline-bench-lab-'));
  chmodSync(runDir, 0o755); // PostgreSQL runs as the postgres user when we are root
  const up = () => labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase, runDir, log: (l) => process.stdout.write(`    ${l.trim()}\n`) });
  console.log(`faultline lab benchmark: ${triRegionTgw.name}, ports ${portBase}-${portBase + 99}, ${runDir}`);
  try {
    console.log('cold lab up (fresh folder: initdb + pg_basebackup):');
    const cold = await up();
    console.log(`lab up, cold: ${formatDuration(cold.elapsedMs)}`);

    await sleep(5_000); // let start-up work (first scrapes, autovacuum of the seed) settle
    printCpu('idle CPU over 10s', await measureLabCpu(runDir, 10_000));

    for (const rate of levels) {
      const result = await measureLoadLevel(cold.state, rate, { durationMs: levelMs, outDir: join(runDir, 'k6') });
      console.log(`load ${rate} req/s per region for ${formatDuration(levelMs)}:`);
      for (const r of result.regions) {
        console.log(
          `  ${r.region}: target ${r.target.toFixed(1)}/s, achieved ${r.achieved.toFixed(2)}/s (${pct(r.achieved / r.target)}), ` +
            `failed ${r.failedPct.toFixed(2)}%, p95 ${r.p95Ms.toFixed(1)} ms, dropped ${r.dropped}`,
        );
      }
      printCpu(`  CPU at ${rate} req/s per region`, result.cpu);
    }

    await labDown({ runDir, keepData: true });
    console.log('warm lab up (databases kept by lab down --keep-data):');
    const warm = await up();
    console.log(`lab up, warm: ${formatDuration(warm.elapsedMs)} (databases ${warm.databases})`);
    console.log(`summary: cold ${formatDuration(cold.elapsedMs)}, warm ${formatDuration(warm.elapsedMs)}`);
  } finally {
    await labDown({ runDir });
    rmSync(runDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
