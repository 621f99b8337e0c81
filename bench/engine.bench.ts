// npm run bench:engine: how fast and how precise the engine is on the real lab. Prints figures; asserts nothing.
//   1. injection (and revert) latency per fault kind, driver-side;
//   2. measured RTO against ground truth (a 50 ms /healthz poller and the supervisor's restart delay);
//   3. guardrail reaction: breach visible in Prometheus → every fault reverted;
//   4. SIGINT to the CLI → every fault reverted;
//   5-7. safety (bench/safety-figures.ts): a real regional outage → every fault reverted at default guardrail settings,
//        false trips over a clean run under load (--clean-run 10m for the 10-minute figure), hung Prometheus → reverted.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { LabFaultDriver } from '../chaos/index.ts';
import { eventsOf, Journal, Ledger, scenario, constantRate, type FaultSpec, type LedgerEntry } from '../core/index.ts';
import type { LabState } from '../lab/index.ts';
import { labDown, labUp, readLabServices } from '../lab/index.ts';
import { runOnLab } from '../scenarios/lab-run.ts';
import { requireTopology } from '../targets/index.ts';
import { cleanRunFalseTrips, hungPrometheusReaction, outageReaction } from './safety-figures.ts';

const portBase = Number(process.env.FAULTLINE_BENCH_PORT_BASE ?? 19200);
const runDir = resolve(process.env.FAULTLINE_BENCH_RUN_DIR ?? '.faultline/bench-lab');
const rounds = Number(process.env.FAULTLINE_BENCH_ROUNDS ?? 5);
/** Rounds of the outage reaction, for a p95 worth the name. */
const outageRounds = Number(process.env.FAULTLINE_BENCH_OUTAGE_ROUNDS ?? 20);
const cleanRunFlag = process.argv.indexOf('--clean-run');
/** How long the clean run holds its fault under guardrails. Default 1m; the figure is 10m. */
const cleanRun = cleanRunFlag >= 0 ? process.argv[cleanRunFlag + 1]! : (process.env.FAULTLINE_BENCH_CLEAN_RUN ?? '1m');
const { topology, lab: binding } = requireTopology('tri-region-tgw');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { n: s.length, min: s[0]!, median: at(0.5), p95: at(0.95), max: s[s.length - 1]! };
};
const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const row = (cells: string[], widths: number[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');

async function injectionLatency(lab: LabState): Promise<void> {
  const driver = new LabFaultDriver({ runDir, topology });
  const ledger = new Ledger(lab.ledgerDir);
  const kinds: FaultSpec[] = [
    { kind: 'podKill', service: 'service-main', region: 'sby', mode: 'one' },
    { kind: 'podFailure', service: 'service-main', region: 'sby', mode: 'one' },
    { kind: 'partition', regions: ['jkt', 'bdg'] },
    { kind: 'latency', regions: ['jkt', 'sby'], latency: '200ms' },
    { kind: 'replicaLag', store: 'rds', region: 'bdg', by: '5s' },
    { kind: 'cacheLoss', region: 'sby' },
    { kind: 'stress', service: 'service-main', region: 'sby', cpuWorkers: 1, load: 20 },
  ];
  const widths = [12, 28, 28];
  console.log(`\n1. Injection latency per fault kind (driver prepare + ledger write + apply; ${rounds} rounds each)`);
  console.log(row(['kind', 'inject median / p95 / max', 'revert median / p95 / max'], widths));
  for (const spec of kinds) {
    const inject: number[] = [];
    const revert: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const plan = { name: `bench-${spec.kind}-${i}`, spec, at: '0s', duration: '30s' };
      const t0 = performance.now();
      const prepared = await driver.prepare(plan, { runId: 'bench', scenario: 'bench', ttlMs: 60_000 });
      const entry: LedgerEntry = { id: `bench-${spec.kind}-${i}`, runId: 'bench', scenario: 'bench', target: 'lab', fault: plan.name, spec, createdAt: Date.now(), expiresAt: Date.now() + 60_000, revert: prepared.revert };
      ledger.record(entry);
      await prepared.apply();
      inject.push(performance.now() - t0);
      await sleep(200);
      const t1 = performance.now();
      await ledger.revert(entry);
      revert.push(performance.now() - t1);
      // A killed process needs the supervisor's restart before the next round can pick it.
      await sleep(spec.kind === 'podKill' ? lab.restartDelayMs + 2_000 : 300);
    }
    const a = stats(inject);
    const b = stats(revert);
    console.log(row([spec.kind, `${ms(a.median)} / ${ms(a.p95)} / ${ms(a.max)}`, `${ms(b.median)} / ${ms(b.p95)} / ${ms(b.max)}`], widths));
  }
}

/** Polls every jkt service-main /healthz each 50 ms and records, per port, when it went down and came back. */
function healthPoller(lab: LabState) {
  const ports = readLabServices(lab.runDir).filter((p) => p.region === 'jkt' && p.service === 'service-main').map((p) => p.port);
  const outages = new Map<number, { down: number; up?: number }>();
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      await Promise.all(
        ports.map(async (port) => {
          const ok = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(200) }).then((r) => r.ok, () => false);
          const o = outages.get(port);
          if (!ok && !o) outages.set(port, { down: Date.now() });
          if (ok && o && o.up === undefined) o.up = Date.now();
        }),
      );
      await sleep(50);
    }
  })();
  return { outages, stop: async () => ((stop = true), await loop) };
}

async function rtoAgainstTruth(lab: LabState): Promise<void> {
  console.log(`\n2. Measured RTO against ground truth (kill one jkt service-main; supervisor restart delay ${lab.restartDelayMs} ms)`);
  const widths = [6, 22, 26, 18];
  console.log(row(['round', 'RTO from Prometheus', 'truth (50 ms /healthz poll)', 'error vs truth'], widths));
  const errors: number[] = [];
  for (let i = 0; i < Math.min(rounds, 3); i++) {
    const s = scenario('bench-rto', 'tri-region-tgw')
      .load(constantRate(5, ['jkt']))
      .timeline({ warmup: '3s', baseline: '5s', recovery: '5s' })
      .inject({ kind: 'podKill', service: 'service-main', region: 'jkt', mode: 'one' }, { for: '20s' })
      .expect({ name: 'rto', kind: 'rto', region: 'jkt', sli: 'capacity', service: 'service-main', from: 'faultStart', window: 'during', objective: '20s' })
      .build();
    const poller = healthPoller(lab);
    const result = await runOnLab(s, { runDir, handleSignals: false });
    await poller.stop();
    const entries = Journal.read(result.journalPath);
    const inject = eventsOf(entries, 'inject')[0]!;
    const measured = result.slos.find((r) => r.kind === 'rto')?.observed;
    const outage = [...poller.outages.values()][0];
    // Ground truth: the kill (the inject event, logged the moment apply returned) to the first healthy answer.
    const truth = outage?.up !== undefined ? (outage.up - inject.t) / 1000 : undefined;
    const err = measured !== undefined && truth !== undefined ? measured - truth : undefined;
    if (err !== undefined) errors.push(err);
    console.log(row([`${i + 1}`, measured === undefined ? 'n/a' : `${measured.toFixed(1)} s`, truth === undefined ? 'n/a' : `${truth.toFixed(2)} s`, err === undefined ? 'n/a' : `${err >= 0 ? '+' : ''}${err.toFixed(2)} s`], widths));
  }
  if (errors.length) console.log(`   mean error ${(errors.reduce((a, b) => a + b, 0) / errors.length).toFixed(2)} s (resolution: 1 s scrape interval)`);
}

async function guardrailReaction(lab: LabState): Promise<void> {
  console.log('\n3. Guardrail reaction: lag > 3 s first visible in Prometheus → every fault reverted (replica lag 10 s injected)');
  const widths = [6, 24, 24, 22];
  console.log(row(['round', 'visible → detected', 'detected → reverted', 'visible → reverted'], widths));
  const totals: number[] = [];
  for (let i = 0; i < Math.min(rounds, 3); i++) {
    const s = scenario('bench-guardrail', 'tri-region-tgw')
      .load(constantRate(5, ['jkt']))
      .timeline({ warmup: '3s', baseline: '5s', recovery: '5s' })
      .inject({ kind: 'replicaLag', store: 'rds', region: 'bdg', by: '10s' }, { for: '2m' })
      .expect({ name: 'jkt availability', kind: 'availability', region: 'jkt', window: 'during', objective: 0.9 })
      .guardrail({ name: 'bdg lag over 3s', query: 'max(faultline_replication_lag_seconds{region="bdg"})', comparator: '>', threshold: 3, every: '250ms' })
      .build();
    const result = await runOnLab(s, { runDir, handleSignals: false });
    const entries = Journal.read(result.journalPath);
    const breach = eventsOf(entries, 'guardrail').find((g) => g.breached)!;
    const revert = eventsOf(entries, 'revert')[0]!;
    const injected = eventsOf(entries, 'inject')[0]!;
    // The scrape timestamp of the first sample over the threshold: when the breach became queryable.
    const samples = await rawSamples(lab.prometheus.url, 'faultline_replication_lag_seconds{region="bdg"}[3m]', revert.t);
    const visible = samples.map(([t, v]) => [t * 1000, Number(v)] as const).filter(([t, v]) => t >= injected.t && v > 3).map(([t]) => t)[0];
    if (visible === undefined) {
      console.log(row([`${i + 1}`, 'n/a (no sample over 3 s found)', '', ''], widths));
      continue;
    }
    totals.push(revert.t - visible);
    console.log(row([`${i + 1}`, ms(breach.t - visible), ms(revert.t - breach.t), ms(revert.t - visible)], widths));
  }
  if (totals.length) console.log(`   visible → reverted: median ${ms(stats(totals).median)}, max ${ms(stats(totals).max)} (guardrail evaluated every 250 ms)`);
}

/** Raw scraped samples with their scrape timestamps: a range-vector selector, which the SLO client does not serve. */
async function rawSamples(prometheusUrl: string, selector: string, at: number): Promise<[number, string][]> {
  const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(selector)}&time=${at / 1000}`;
  const body = (await (await fetch(url)).json()) as { data: { result: { values: [number, string][] }[] } };
  return body.data.result.flatMap((series) => series.values);
}

async function sigintToReverted(lab: LabState): Promise<void> {
  console.log('\n4. SIGINT to `faultline inject partition jkt bdg` → every toxic gone (polled every 5 ms)');
  const widths = [6, 22, 22];
  console.log(row(['round', 'SIGINT → reverted', 'SIGINT → exited'], widths));
  const bin = join(import.meta.dirname, '..', 'bin', 'faultline.mjs');
  const toxicCount = async () => {
    const proxies = (await (await fetch(`${lab.toxiproxy.apiUrl}/proxies`)).json()) as Record<string, { toxics: unknown[] }>;
    return Object.values(proxies).reduce((n, p) => n + p.toxics.length, 0);
  };
  for (let i = 0; i < Math.min(rounds, 3); i++) {
    const child = spawn(process.execPath, [bin, 'inject', 'partition', 'jkt', 'bdg', '--for', '5m', '--rate', '5', '--run-dir', runDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number>((r) => child.on('exit', () => r(performance.now())));
    while (!/injected /.test(out)) await sleep(50);
    const t0 = performance.now();
    child.kill('SIGINT');
    while ((await toxicCount()) > 0) await sleep(5);
    const reverted = performance.now() - t0;
    const exitedAt = (await exited) - t0;
    console.log(row([`${i + 1}`, ms(reverted), ms(exitedAt)], widths));
  }
}

const t0 = Date.now();
console.log(`faultline engine benchmark: lab on 127.0.0.1:${portBase}+, ${rounds} rounds`);
const up = await labUp({ topology, binding: binding!, portBase, runDir, log: () => {} });
try {
  // FAULTLINE_BENCH_ONLY=safety runs sections 5-7 alone.
  if (process.env.FAULTLINE_BENCH_ONLY !== 'safety') {
    await injectionLatency(up.state);
    await rtoAgainstTruth(up.state);
    await guardrailReaction(up.state);
    await sigintToReverted(up.state);
  }
  await outageReaction(up.state, outageRounds, runDir);
  await cleanRunFalseTrips(runDir, cleanRun);
  await hungPrometheusReaction(up.state, rounds, runDir);
} finally {
  if (up.started) await labDown({ runDir });
}
console.log(`\nbenchmark took ${Math.round((Date.now() - t0) / 1000)} s`);
