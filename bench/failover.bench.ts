import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { eventsOf, Journal, readRequestEvents, scenario, type RunResult } from '../core/index.ts';
import { labDown, labUp, type LabState } from '../lab/index.ts';
import { runOnLab } from '../scenarios/index.ts';
import { garagePlatform, garagePlatformLab } from '../targets/index.ts';

/**
 * Failover benchmark (npm run bench:failover), on the garage platform's active/passive lab. Each round loses the
 * primary region under load with the replica held `LAG_MS` behind, fails over by the lab's runbook, and compares what
 * faultline measured with ground truth taken independently of it:
 * - a 20 ms poller writes through the global entry (its own ids, its own acknowledgements) and sees the outage begin
 *   and end; another polls the replica's pg_is_in_recovery() every 20 ms, which flips at the promotion;
 * - after the run, every write k6 saw acknowledged is looked up with SQL on the promoted database directly.
 * Prints RTO-phase errors (outage start, promotion, back), RPO against the poller's own RPO and the injected lag, the
 * lost-write count against the SQL count, the runbook's wall clock, and lab-up time cold and warm. Asserts nothing.
 *
 * Env: FAULTLINE_BENCH_PORT_BASE (default 20200), FAULTLINE_BENCH_ROUNDS (default 5), FAULTLINE_BENCH_LAG_MS (default 3000).
 */
const PORT_BASE = Number(process.env.FAULTLINE_BENCH_PORT_BASE ?? 20200);
const ROUNDS = Number(process.env.FAULTLINE_BENCH_ROUNDS ?? 5);
const LAG_MS = Number(process.env.FAULTLINE_BENCH_LAG_MS ?? 3000);
const POLL_MS = 20;
const DB_USER = process.getuid?.() === 0 ? 'postgres' : (await import('node:os')).userInfo().username;

const benchScenario = scenario('bench-failover', 'garage-platform')
  // 20 writes/s from the users' region: the RPO read from acknowledged writes can only be as fine as their spacing.
  .load({ regions: { primary: { executor: 'constant-arrival-rate', rate: 40 }, secondary: { executor: 'constant-arrival-rate', rate: 5 } }, writeRatio: 0.5, requestTimeout: '2s' })
  .timeline({ warmup: '3s', baseline: '5s', recovery: '10s' })
  .inject({ kind: 'replicaLag', store: 'job-warehouse', region: 'secondary', by: `${LAG_MS}ms` }, { for: '30s', name: 'replica-lag' })
  .inject({ kind: 'regionLoss', region: 'primary' }, { for: '15s', at: '10s' })
  .failover({ from: 'primary', to: 'secondary', trigger: { mode: 'manual', after: '2s', fault: 'region-loss-primary' }, runbook: { kind: 'lab' }, timeout: '30s' })
  .expect(
    { name: 'rto', kind: 'failoverRto', region: 'primary', window: 'whole', objective: '60s', informational: true },
    { name: 'rpo', kind: 'rpo', store: 'job-warehouse', window: 'whole', objective: '60s', informational: true },
  )
  .build();

interface Poll {
  sent: number;
  end: number;
  ok: boolean;
  id: string;
}

/**
 * Writes through the global entry every 20 ms, each with its own id, until stopped: the users' ground truth. Each
 * write is sent on schedule whether the previous one came back or not, so a frozen region does not slow the poller
 * down to its timeout.
 */
function startWritePoller(url: string): { stop(): Promise<Poll[]> } {
  const polls: Poll[] = [];
  const pending: Promise<void>[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const sent = Date.now();
    const id = `poller-${sent}-${n++}`;
    pending.push(
      fetch(`${url}/items`, { method: 'POST', body: JSON.stringify({ body: 'poller', id, clientTs: sent }), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(1_000) })
        .then((r) => r.status === 201, () => false)
        .then((ok) => void polls.push({ sent, end: Date.now(), ok, id })),
    );
  }, POLL_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      return polls.sort((a, b) => a.sent - b.sent);
    },
  };
}

/** Polls pg_is_in_recovery() on the replica every 20 ms: when it turns false, the replica was promoted. */
function startPromotionPoller(port: number): { stop(): Promise<number | undefined> } {
  let running = true;
  let promotedAt: number | undefined;
  const loop = (async () => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: DB_USER, database: 'faultline' });
    await client.connect();
    try {
      while (running && promotedAt === undefined) {
        const t = Date.now();
        const rows = (await client.query('SELECT pg_is_in_recovery() AS r')).rows as { r: boolean }[];
        if (rows[0]?.r === false) promotedAt = t;
        await sleep(Math.max(0, POLL_MS - (Date.now() - t)));
      }
    } finally {
      await client.end();
    }
  })();
  return { stop: async () => ((running = false), await loop.catch(() => undefined), promotedAt) };
}

async function heldBy(port: number, ids: string[]): Promise<Set<string>> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: DB_USER, database: 'faultline' });
  await client.connect();
  try {
    return new Set(((await client.query('SELECT write_id FROM items WHERE write_id = ANY($1)', [ids])).rows as { write_id: string }[]).map((r) => r.write_id));
  } finally {
    await client.end();
  }
}

interface Round {
  outageStartErrMs: number;
  promotionErrMs: number;
  backErrMs: number;
  rpoMs: number;
  pollerRpoMs: number;
  lostHarness: number;
  lostSql: number;
  runbookMs: number;
  steps: string;
}

async function round(state: LabState): Promise<Round> {
  const writes = startWritePoller(state.activePassive!.globalEntry.url);
  const replicaPort = state.postgres.find((p) => p.role === 'replica')!.port;
  const promotion = startPromotionPoller(replicaPort);
  let result: RunResult;
  try {
    result = await runOnLab(benchScenario, { runDir: state.runDir, sessionDir: mkdtempSync(join(tmpdir(), 'faultline-bench-failover-')), handleSignals: false });
  } catch (e) {
    await Promise.allSettled([writes.stop(), promotion.stop()]);
    throw e;
  }
  const polls = await writes.stop();
  const promotedAt = await promotion.stop();
  const journal = Journal.read(result.journalPath);
  const fault = result.windows!.faults.find((f) => f.name === 'region-loss-primary')!.range;
  if (Math.abs(fault.start - (result.slos.find((s) => s.name === 'rto')!.evidence!.phases as { faultStart: number }).faultStart) > 0) throw new Error('the RTO clock did not start at the region loss');
  const phases = result.slos.find((s) => s.name === 'rto')!.evidence!.phases as { faultStart: number; failoverStart: number; sloBack: number };
  const end = eventsOf(journal, 'failover').find((e) => e.status === 'end')!;
  const steps = (end.detail!.steps as { name: string; ms: number }[]);

  // Ground truth of the outage, as the poller saw it: its first failed write sent after the fault, and its first
  // acknowledged write after the outage.
  const firstDown = polls.find((p) => !p.ok && p.sent >= fault.start - 200)!;
  const back = polls.find((p) => p.ok && p.sent > firstDown.sent)!;
  // The promotion is the runbook's first step: its end is when the runbook says the replica was promoted.
  const promotedByRunbook = phases.failoverStart + steps[0]!.ms;

  // RPO as the poller's own acknowledged writes show it, read back with SQL from the promoted database.
  const ackedPolls = polls.filter((p) => p.ok);
  const pollsHeld = await heldBy(replicaPort, ackedPolls.map((p) => p.id));
  const lostPolls = ackedPolls.filter((p) => !pollsHeld.has(p.id));
  const pollerRpoMs = lostPolls.length ? Math.max(...lostPolls.map((p) => p.end)) - Math.min(...lostPolls.map((p) => p.sent)) : 0;

  // The lost-write count faultline reported, against SQL over the same acknowledged k6 writes.
  const streamPath = eventsOf(journal, 'request-stream')[0]!.path;
  const acked = readRequestEvents(streamPath).filter((e) => e.route === 'write' && e.ok && e.id);
  const held = await heldBy(replicaPort, acked.map((e) => e.id!));
  const rpo = result.slos.find((s) => s.name === 'rpo')!.evidence!.dataLoss as { lost: number; rpoMs: number };
  return {
    outageStartErrMs: firstDown.sent - fault.start,
    promotionErrMs: promotedAt === undefined ? NaN : promotedByRunbook - promotedAt,
    backErrMs: phases.sloBack - back.sent,
    rpoMs: rpo.rpoMs,
    pollerRpoMs,
    lostHarness: rpo.lost,
    lostSql: acked.filter((e) => !held.has(e.id!)).length,
    runbookMs: end.endedAt! - end.startedAt!,
    steps: steps.map((s) => `${s.name.split(' ')[0]} ${s.ms}`).join(', '),
  };
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)]!;
const abs = (xs: number[]) => xs.map(Math.abs);

const runDir = mkdtempSync(join(tmpdir(), 'faultline-bench-failover-lab-'));
chmodSync(runDir, 0o755);
const up = () => labUp({ topology: garagePlatform, binding: garagePlatformLab, portBase: PORT_BASE, runDir });
try {
  const cold = await up();
  await labDown({ runDir, keepData: true });
  const warm = await up();
  console.log(`lab up (garage-platform, active/passive): cold ${(cold.elapsedMs / 1000).toFixed(1)} s (databases ${cold.databases}), warm ${(warm.elapsedMs / 1000).toFixed(1)} s (databases ${warm.databases})`);
  let state = warm.state;
  const rounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i > 0) {
      // A failed-over lab is another system: rebuilt, keeping the primary's data (the replica is re-cloned).
      await labDown({ runDir, keepData: true });
      state = (await up()).state;
    }
    const r = await round(state);
    rounds.push(r);
    console.log(
      `round ${i + 1}: outage start ${r.outageStartErrMs} ms, promotion ${r.promotionErrMs} ms, back ${r.backErrMs} ms (measured − ground truth); ` +
        `RPO ${r.rpoMs} ms vs poller ${r.pollerRpoMs} ms vs injected ${LAG_MS} ms; lost ${r.lostHarness} vs SQL ${r.lostSql}; runbook ${r.runbookMs} ms (${r.steps})`,
    );
  }
  const fmt = (xs: number[]) => `p95 ${p95(abs(xs))} ms (max ${Math.max(...abs(xs))})`;
  console.log('\nfailover benchmark, %d rounds, replica lag %d ms at the region loss', ROUNDS, LAG_MS);
  console.log(`RTO phase error vs ground truth: outage start ${fmt(rounds.map((r) => r.outageStartErrMs))}, promotion ${fmt(rounds.map((r) => r.promotionErrMs))}, back ${fmt(rounds.map((r) => r.backErrMs))}`);
  console.log(`RPO error vs the poller's own lost writes: ${fmt(rounds.map((r) => r.rpoMs - r.pollerRpoMs))}; vs the injected lag: ${fmt(rounds.map((r) => r.rpoMs - LAG_MS))}`);
  console.log(`lost-write count: ${rounds.filter((r) => r.lostHarness === r.lostSql).length}/${ROUNDS} exact (${rounds.map((r) => `${r.lostHarness}/${r.lostSql}`).join(', ')})`);
  const runbooks = rounds.map((r) => r.runbookMs).sort((a, b) => a - b);
  console.log(`runbook wall clock: median ${runbooks[Math.floor(runbooks.length / 2)]} ms, max ${runbooks.at(-1)} ms`);
} finally {
  await labDown({ runDir }).catch(() => undefined);
  rmSync(runDir, { recursive: true, force: true });
}
