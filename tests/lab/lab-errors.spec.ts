import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { isFaultlineError } from '../../core/index.ts';
import { isLabAlive, labDown, labStatus, labUp, queryPrometheus, startPrometheus, waitForPrometheusData } from '../../lab/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../../targets/index.ts';
import { listeningPorts } from './support/listening.ts';

const PORT_BASE = 19100;
let scratch: string;

test.beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'faultline-lab-err-'));
  chmodSync(scratch, 0o755);
});
test.afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** The CLI as a user runs it; returns exit code and output. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['bin/faultline.mjs', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isFaultlineError(error) ? error.code : `not a FaultlineError: ${String(error)}`;
}

test('an unknown topology is refused by the CLI with the names that exist, and nothing is created', () => {
  const runDir = join(scratch, 'run');
  const r = cli(['lab', 'up', '--topology', 'mars-base', '--run-dir', runDir, '--port-base', String(PORT_BASE)]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain('FAULTLINE_UNKNOWN_NAME');
  expect(r.stderr).toContain('unknown topology "mars-base"');
  expect(r.stderr).toContain('tri-region-tgw');
  expect(existsSync(runDir)).toBe(false);
});

test('unknown region and service names are refused with the names that exist', async () => {
  const runDir = join(scratch, 'run');
  const r = cli(['lab', 'up', '--replicas', 'jkt=2,mdn=1', '--run-dir', runDir, '--port-base', String(PORT_BASE)]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain('unknown region "mdn"');
  expect(r.stderr).toContain('jkt, bdg, sby');
  expect(existsSync(runDir)).toBe(false);

  expect(await codeOf(labStatus({ runDir, region: 'mdn', topology: triRegionTgw }))).toBe('FAULTLINE_UNKNOWN_NAME');
  const error = await labStatus({ runDir, service: 'service-side', topology: triRegionTgw }).catch((e: Error) => e);
  expect((error as Error).message).toContain('service-main, service-backup');
});

test('a port already in use is named with its component, and nothing is started', async () => {
  const runDir = join(scratch, 'run');
  const busyPort = PORT_BASE + 15; // PostgreSQL jkt
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(busyPort, '127.0.0.1', resolve));
  try {
    const error = await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase: PORT_BASE, runDir }).catch((e: unknown) => e);
    expect(isFaultlineError(error) && error.code).toBe('FAULTLINE_PORT_IN_USE');
    expect((error as Error).message).toContain(`port ${busyPort} (for postgres jkt (primary))`);
    expect((error as Error).message).toContain('--port-base');
    expect(listeningPorts(PORT_BASE, PORT_BASE + 99)).toEqual([busyPort]);
    expect(isLabAlive(runDir)).toBe(false);
    expect(existsSync(join(runDir, 'started.json'))).toBe(false);
  } finally {
    blocker.close();
  }
});

test('a missing binary says to run the setup script, and nothing is started', () => {
  const emptyTools = join(scratch, 'no-tools');
  mkdirSync(emptyTools);
  const runDir = join(scratch, 'run');
  const r = cli(['lab', 'up', '--run-dir', runDir, '--port-base', String(PORT_BASE)], { FAULTLINE_TOOLS: emptyTools });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain('FAULTLINE_SETUP_MISSING');
  expect(r.stderr).toContain('toxiproxy is not installed');
  expect(r.stderr).toContain('npm run setup');
  expect(listeningPorts(PORT_BASE, PORT_BASE + 99)).toEqual([]);
  expect(existsSync(join(runDir, 'started.json'))).toBe(false);
});

test('a run folder the postgres user cannot enter is refused before anything starts', async () => {
  test.skip(process.getuid?.() !== 0, 'only root runs PostgreSQL as another user');
  const closed = join(scratch, 'closed');
  mkdirSync(closed, { mode: 0o700 });
  const error = await labUp({ topology: triRegionTgw, binding: triRegionTgwLab, portBase: PORT_BASE, runDir: join(closed, 'run') }).catch((e: unknown) => e);
  expect(isFaultlineError(error) && error.code).toBe('FAULTLINE_BAD_INPUT');
  expect((error as Error).message).toContain(`cannot enter ${closed}`);
  expect(listeningPorts(PORT_BASE, PORT_BASE + 99)).toEqual([]);
});

test('Prometheus not answering gives FAULTLINE_PROMETHEUS_UNREACHABLE with what to do', async () => {
  const deadUrl = 'http://127.0.0.1:19199';
  const query = await queryPrometheus(deadUrl, 'up').catch((e: unknown) => e);
  expect(isFaultlineError(query) && query.code).toBe('FAULTLINE_PROMETHEUS_UNREACHABLE');
  expect((query as Error).message).toContain('is not answering');
  expect((query as Error).message).toContain('faultline lab up');
  expect(await codeOf(waitForPrometheusData(deadUrl, 'up', { timeoutMs: 1_000 }))).toBe('FAULTLINE_PROMETHEUS_UNREACHABLE');
});

test('status and down of a lab that does not exist', async () => {
  const runDir = join(scratch, 'nothing-here');
  expect(await codeOf(labStatus({ runDir }))).toBe('FAULTLINE_LAB_NOT_RUNNING');
  const r = cli(['lab', 'status', '--run-dir', runDir]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain('faultline lab up');
  expect((await labDown({ runDir })).found).toBe(false);
});

test('startPrometheus scrapes its targets with their labels, refuses a busy port, and stops cleanly', async () => {
  const port = 19198;
  const prometheus = await startPrometheus({
    port,
    dataDir: join(scratch, 'prom', 'data'),
    logFile: join(scratch, 'prom', 'prometheus.log'),
    // Prometheus scraping itself: a real target with the lab's label set.
    scrapeConfigs: [{ jobName: 'service', targets: [{ address: `127.0.0.1:${port}`, labels: { region: 'jkt', service: 'self', replica: '0' } }] }],
  });
  try {
    expect(prometheus.url).toBe(`http://127.0.0.1:${port}`);
    const up = await waitForPrometheusData(prometheus.url, 'up{job="service"}', { timeoutMs: 20_000 });
    expect(up[0]?.metric).toMatchObject({ region: 'jkt', service: 'self', replica: '0' });
    expect(up[0]?.value).toBe(1);
    expect(await codeOf(startPrometheus({ port, dataDir: join(scratch, 'prom2'), logFile: join(scratch, 'prom2.log'), scrapeConfigs: [] }))).toBe('FAULTLINE_PORT_IN_USE');
    // The remote-write receiver k6 pushes to is on.
    const write = await fetch(`${prometheus.url}/api/v1/write`, { method: 'POST', body: '' });
    expect(write.status).not.toBe(404);
  } finally {
    await prometheus.stop();
  }
  expect(listeningPorts(port, port)).toEqual([]);
});

test('a component failing midway: what was started is stopped, and the error names the component and its log', async () => {
  test.setTimeout(120_000);
  const runDir = join(scratch, 'run');
  // Kept replica data that is no database: PostgreSQL bdg will refuse to start, after Prometheus, toxiproxy and the
  // primary. (With its standby.signal: a kept folder without one is a promoted replica, which lab up re-clones.)
  const broken = join(runDir, 'data', 'postgres-bdg');
  mkdirSync(join(runDir, 'data'), { recursive: true, mode: 0o755 });
  mkdirSync(broken, { mode: 0o700 });
  writeFileSync(join(broken, 'PG_VERSION'), '15\n');
  writeFileSync(join(broken, 'standby.signal'), '');
  if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:postgres', broken]);

  const lines: string[] = [];
  // On the plain disk, where the kept folder above is PostgreSQL bdg's (on the slow disk it would be below data/disk).
  const binding = { ...triRegionTgwLab, slowDisk: false };
  const error = await labUp({ topology: triRegionTgw, binding, portBase: PORT_BASE, runDir, log: (l) => lines.push(l) }).then(
    // Came up after all: stop it, so the failure is this test's alone and no later test finds its ports taken.
    async () => (await labDown({ runDir }), undefined),
    (e: unknown) => e,
  );
  expect(isFaultlineError(error) && error.code).toBe('FAULTLINE_HARNESS');
  const message = (error as Error).message;
  expect(message).toContain('postgres bdg (replica)');
  expect(message).toContain(`read its log: ${join(runDir, 'logs', 'postgres-bdg.log')}`);
  // It got that far: the earlier components had started.
  expect(lines.some((l) => l.startsWith(`  postgres jkt (primary) :${PORT_BASE + 15} ready`))).toBe(true);
  expect(lines.some((l) => l.startsWith(`  toxiproxy :${PORT_BASE + 1}`) && l.includes('ready'))).toBe(true);
  expect(listeningPorts(PORT_BASE, PORT_BASE + 99)).toEqual([]);
  expect(isLabAlive(runDir)).toBe(false);
  expect(existsSync(join(runDir, 'started.json')), 'nothing left for lab down to stop').toBe(false);
  // The end of the log is quoted, so the cause is visible without opening it.
  expect(message).toContain('its log ends with:');
  expect(message).toContain(readFileSync(join(runDir, 'logs', 'postgres-bdg.log'), 'utf8').trim().split('\n').pop()!.slice(0, 80));
});
