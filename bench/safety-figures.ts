// The safety figures of `npm run bench:engine` (issue 11): how fast the harness takes every fault back when its
// world is sick. Real lab, default guardrail settings, ground truth taken independently of the harness.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestAvailabilityGuardrail } from '../assertions/index.ts';
import { constantRate, eventsOf, formatDuration, Journal, parseDuration, scenario, type RunResult } from '../core/index.ts';
import type { LabState } from '../lab/index.ts';
import { runOnLab } from '../scenarios/lab-run.ts';
import { freezeIngress } from '../tests/safety/support/outage.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const session = () => mkdtempSync(join(tmpdir(), 'faultline-bench-'));

export function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { n: s.length, min: s[0]!, median: at(0.5), p95: at(0.95), max: s[s.length - 1]! };
}
const ms = (v: number) => `${Math.round(v)} ms`;
const summary = (label: string, xs: number[], target: string) => {
  if (!xs.length) return console.log(`   ${label}: no round completed`);
  const s = stats(xs);
  console.log(`   ${label}: median ${ms(s.median)}, p95 ${ms(s.p95)}, max ${ms(s.max)} over ${s.n} rounds (target ${target})`);
};

async function toxicCount(lab: LabState): Promise<number> {
  const proxies = (await (await fetch(`${lab.toxiproxy.apiUrl}/proxies`)).json()) as Record<string, { toxics: unknown[] }>;
  return Object.values(proxies).reduce((n, p) => n + p.toxics.length, 0);
}

/** Resolves with the instant (epoch ms) no toxic is left, polled every 5 ms. */
async function untilNoToxic(lab: LabState, give = 60_000): Promise<number> {
  const deadline = Date.now() + give;
  while (Date.now() < deadline) {
    if ((await toxicCount(lab)) === 0) return Date.now();
    await sleep(5);
  }
  throw new Error('toxics still on after a minute');
}

/**
 * An independent observer of one ingress: a request every 20 ms, each allowed 150 ms. Returns the send time of the
 * first request that got no answer: when the outage began as a client sees it.
 */
function ingressPoller(url: string) {
  let stop = false;
  let firstUnanswered: number | undefined;
  const loop = (async () => {
    while (!stop && firstUnanswered === undefined) {
      const sent = Date.now();
      void fetch(`${url}/items/1`, { signal: AbortSignal.timeout(150) }).then(
        (r) => r.body?.cancel(),
        () => {
          if (firstUnanswered === undefined || sent < firstUnanswered) firstUnanswered = sent;
        },
      );
      await sleep(20);
    }
  })();
  return {
    outageAt: () => firstUnanswered,
    stop: async () => {
      stop = true;
      await loop;
    },
  };
}

/** A long harmless fault under the tri-region game days' kind of load, watched by the default request guardrails. */
function heldFault(name: string, hold: string, rate: number, timeline = { warmup: '3s', baseline: '3s', recovery: '2s' }) {
  const b = scenario(name, 'tri-region-tgw')
    .load(constantRate(rate, ['jkt', 'bdg', 'sby']))
    .timeline(timeline)
    .inject({ kind: 'latency', regions: ['jkt', 'sby'], latency: '1ms' }, { for: hold })
    .expect({ name: 'jkt availability', kind: 'availability', region: 'jkt', window: 'during', objective: 0.9, informational: true });
  for (const region of ['jkt', 'bdg', 'sby']) b.guardrail(requestAvailabilityGuardrail(`${region} availability floor`, { region, below: 0.5 }));
  return b.build();
}

/** When the run's journal says the fault was injected. */
async function untilInjected(sessionDir: string): Promise<void> {
  for (;;) {
    try {
      const [file] = readdirSync(join(sessionDir, 'journals'));
      if (file && Journal.read(join(sessionDir, 'journals', file)).some((e) => e.type === 'inject')) return;
    } catch {
      // not written yet
    }
    await sleep(20);
  }
}

/** 5. A real regional outage (bdg's ingress frozen) → every fault reverted, at default guardrail settings. */
export async function outageReaction(lab: LabState, rounds: number, runDir: string): Promise<void> {
  console.log(`\n5. Guardrail reaction end to end: bdg's ingress frozen (first unanswered request of a 20 ms poller) → every fault reverted`);
  console.log('   default request guardrails (1 s window, 5 samples, 500 ms stall, 250 ms for, every 100 ms), 10 requests/s per region');
  const bdg = lab.nginx.find((n) => n.region === 'bdg')!.url;
  const reactions: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dir = session();
    const abort = new AbortController();
    const pending = runOnLab(heldFault('bench-outage', '2m', 10), { runDir, sessionDir: dir, handleSignals: false, signal: abort.signal });
    await untilInjected(dir);
    await sleep(1_000);
    const poller = ingressPoller(bdg);
    await sleep(200);
    const outage = freezeIngress(lab, 'bdg');
    let revertedAt: number;
    try {
      revertedAt = await untilNoToxic(lab);
    } finally {
      outage.thaw();
      await poller.stop();
    }
    abort.abort('bench round done');
    const result = await pending;
    const start = poller.outageAt();
    const breach = eventsOf(Journal.read(result.journalPath), 'guardrail').find((g) => g.breached);
    if (start === undefined || breach?.name !== 'bdg availability floor') {
      console.log(`   round ${i + 1}: not counted (outage seen: ${start !== undefined}, breach: ${breach?.name ?? 'none'})`);
      continue;
    }
    reactions.push(revertedAt - start);
    console.log(`   round ${String(i + 1).padStart(2)}: outage → breach ${ms(breach.t - start)}, → reverted ${ms(revertedAt - start)}`);
  }
  summary('outage → every fault reverted', reactions, 'p95 ≤ 1.5 s');
}

/** 6. A clean run under load, held long, with the same default guardrails: how often they trip for nothing. */
export async function cleanRunFalseTrips(runDir: string, hold: string): Promise<void> {
  const holdMs = parseDuration(hold);
  console.log(`\n6. False trips over a ${formatDuration(holdMs)} clean run under load (15 requests/s per region, 3 request guardrails, default settings)`);
  const dir = session();
  const result: RunResult = await runOnLab(heldFault('bench-clean', hold, 15, { warmup: '5s', baseline: '10s', recovery: '5s' }), { runDir, sessionDir: dir, handleSignals: false });
  const entries = Journal.read(result.journalPath);
  const readings = eventsOf(entries, 'guardrail').filter((g) => g.name.endsWith('availability floor'));
  const trips = readings.filter((g) => g.breached).length;
  const values = readings.map((g) => g.value).filter((v): v is number => v !== null);
  const belowFloor = readings.filter((g) => g.value !== null && g.value < g.threshold).length;
  const hours = holdMs / 3_600_000;
  console.log(`   outcome ${result.outcome}; guardrail trips ${trips} (${(trips / hours).toFixed(1)} per hour), readings journaled ${readings.length}, lowest availability read ${values.length ? Math.min(...values).toFixed(3) : 'n/a'}, readings below the floor ${belowFloor}`);
  console.log('   pass --clean-run 10m (or FAULTLINE_BENCH_CLEAN_RUN=10m) for the 10-minute figure');
}

/** 7. Prometheus hung (SIGSTOP) while a partition is held → every fault reverted. */
export async function hungPrometheusReaction(lab: LabState, rounds: number, runDir: string): Promise<void> {
  console.log('\n7. Prometheus hung (SIGSTOP) mid-partition → every fault reverted (the record watch reads it every 500 ms, 500 ms deadline)');
  const reactions: number[] = [];
  const waits: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dir = session();
    const s = scenario('bench-hung-prometheus', 'tri-region-tgw')
      .load(constantRate(10, ['jkt', 'bdg', 'sby']))
      .timeline({ warmup: '3s', baseline: '3s', recovery: '2s' })
      .inject({ kind: 'partition', regions: ['jkt', 'bdg'] }, { for: '2m' })
      .expect(
        { name: 'jkt availability during', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
        { name: 'sby availability during', kind: 'availability', region: 'sby', window: 'during', objective: 0.99 },
        { name: 'jkt availability after', kind: 'availability', region: 'jkt', window: 'after', objective: 0.99 },
      )
      .build();
    const pending = runOnLab(s, { runDir, sessionDir: dir, handleSignals: false });
    await untilInjected(dir);
    await sleep(1_000);
    const stoppedAt = Date.now();
    process.kill(lab.prometheus.pid, 'SIGSTOP');
    let revertedAt: number;
    let result: RunResult;
    try {
      revertedAt = await untilNoToxic(lab);
      result = await pending;
    } finally {
      process.kill(lab.prometheus.pid, 'SIGCONT');
    }
    const done = Date.now();
    reactions.push(revertedAt - stoppedAt);
    waits.push(done - stoppedAt);
    console.log(`   round ${i + 1}: reverted ${ms(revertedAt - stoppedAt)} after SIGSTOP; run over (${result.outcome}) after ${formatDuration(done - stoppedAt)}`);
    await sleep(2_000);
  }
  summary('SIGSTOP → every fault reverted', reactions, 'p95 ≤ 2 s');
  summary('SIGSTOP → run over, verdict included', waits, 'bounded');
}
