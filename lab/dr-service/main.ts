import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LAB_FAILOVER_FILE, readJsonFile, type LabFailoverRecord } from '../contract/index.ts';
import { DR_CONFIG_FILE, type DrServiceConfig } from './dr-config.ts';
import { runFailover } from './runbook.ts';

/**
 * The lab's DR automation, in the secondary region as the seeds draw it. It health-checks the active region's ingress
 * and, when armed, runs the failover runbook after `missed` checks in a row fail; it also runs it when asked:
 *   POST /failover        run the runbook now (a manual failover); answers the run's record, 200 or 500
 *   POST /failback        501: the lab cannot rebuild the old primary in place (lab down && lab up does)
 *   POST /watch {armed}   arm or disarm the watcher
 *   GET  /failover        the failover record (active region, every runbook run)
 * Usage: node --import tsx lab/dr-service/main.ts <runDir>
 */
const runDir = process.argv[2]!;
const config = readJsonFile<DrServiceConfig>(join(runDir, DR_CONFIG_FILE));
if (!config) {
  console.error(`dr-service: cannot read ${DR_CONFIG_FILE} in ${runDir}`);
  process.exit(2);
}
const log = (line: string) => console.log(`${new Date().toISOString()} dr-service: ${line}`);
const record = () => readJsonFile<LabFailoverRecord>(join(config.runDir, LAB_FAILOVER_FILE)) ?? { active: config.primary, history: [] };

let armed = config.armed;
let running: Promise<LabFailoverRecord['history'][number]> | undefined;
let misses = 0;
let seenHealthy = false;
let firstMissAt: number | undefined;

function failover(trigger: 'manual' | 'watcher', detectedAt?: number) {
  running ??= runFailover(config!, trigger, detectedAt).then((entry) => {
    log(`failover ${entry.ok ? 'done' : 'FAILED'} in ${entry.endedAt - entry.startedAt} ms (${trigger}): ${entry.steps.map((s) => `${s.name} ${s.ms} ms${s.ok ? '' : ' FAILED'}`).join('; ')}`);
    running = undefined;
    return entry;
  });
  return running;
}

/** One health check of the primary's ingress; a frozen region answers nothing, which the timeout turns into a miss. */
async function check(): Promise<void> {
  if (record().active !== config!.primary || running) return;
  // Disarmed, it counts nothing: misses seen while a game day held it back must not fire it the moment it is re-armed.
  if (!armed) {
    misses = 0;
    firstMissAt = undefined;
    return;
  }
  const ok = await fetch(`http://127.0.0.1:${config!.ingress[config!.primary]}/healthz`, { signal: AbortSignal.timeout(config!.intervalMs) })
    .then((r) => r.ok)
    .catch(() => false);
  if (ok) {
    seenHealthy = true;
    misses = 0;
    firstMissAt = undefined;
    return;
  }
  // A primary still starting up (lab up) is not a lost one: count misses only once it has been seen healthy.
  if (!seenHealthy) return;
  firstMissAt ??= Date.now();
  misses += 1;
  if (misses >= config!.missed && armed) {
    log(`${config!.primary} missed ${misses} health checks since ${new Date(firstMissAt).toISOString()}: failing over`);
    misses = 0;
    void failover('watcher', Date.now());
  }
}

const tick = async () => {
  const t0 = Date.now();
  await check().catch((e: Error) => log(`health check error: ${e.message}`));
  setTimeout(tick, Math.max(0, config!.intervalMs - (Date.now() - t0)));
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

const server = createServer(async (req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/failover') return reply(res, 200, { ...record(), armed, running: running !== undefined });
  if (req.method === 'GET' && path === '/healthz') return reply(res, 200, { status: 'ok', armed });
  if (req.method === 'POST' && path === '/watch') {
    armed = (await body(req)).armed === true;
    misses = 0;
    firstMissAt = undefined;
    log(`watcher ${armed ? 'armed' : 'disarmed'}`);
    return reply(res, 200, { armed });
  }
  if (req.method === 'POST' && path === '/failover') {
    if (record().active !== config!.primary && !running) return reply(res, 409, { error: `already failed over: ${record().active} is active` });
    const entry = await failover('manual');
    return reply(res, entry.ok ? 200 : 500, entry);
  }
  if (req.method === 'POST' && path === '/failback') {
    return reply(res, 501, { error: "the lab's runbook does not fail back in place: the old primary would need rebuilding as a replica; faultline lab down && faultline lab up restores the lab" });
  }
  reply(res, 404, { error: `no route ${req.method} ${path}` });
});

server.listen(config.port, '127.0.0.1', () => {
  log(`listening on 127.0.0.1:${config!.port}; watching ${config!.primary} every ${config!.intervalMs} ms, fails over after ${config!.missed} misses (${armed ? 'armed' : 'disarmed'})`);
  void tick();
});
const shutdown = () => {
  server.close();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
