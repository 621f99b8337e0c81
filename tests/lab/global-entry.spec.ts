import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { nginxWorkers, repointGlobalEntry, startGlobalEntry, type GlobalEntryOptions } from '../../lab/components/nginx.ts';
import { isAlive, signalIfAlive } from '../../lab/process/index.ts';

/*
 * The global entry's switch on a real NGINX: the failover runbook's last step. Two stand-in regions answer with their
 * name; the entry is repointed from one to the other by a graceful reload. Ports 19450-19452.
 */
const ENTRY_PORT = 19450;
const REGION_PORTS = { primary: 19451, secondary: 19452 };

let dir: string;
let regions: Server[];
let options: GlobalEntryOptions & { pid: number };

/** One request on a fresh connection, as a new user's: the region that answered. */
function regionBehindEntry(): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: ENTRY_PORT, path: '/', agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.headers['x-faultline-region'] as string | undefined);
    });
    req.on('error', reject);
    req.end();
  });
}

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-entry-'));
  regions = await Promise.all(
    Object.entries(REGION_PORTS).map(
      ([name, port]) =>
        new Promise<Server>((resolve) => {
          const server = createServer((_req, res) => res.writeHead(200, { 'x-faultline-region': name }).end('{}'));
          server.listen(port, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const base = { port: ENTRY_PORT, activeIngressPort: REGION_PORTS.primary, activeRegion: 'primary', dir, logFile: join(dir, 'error.log'), accessLogFile: join(dir, 'access.log'), serviceTimeoutMs: 500 };
  options = { ...base, pid: (await startGlobalEntry(base)).pid };
});

test.afterEach(async () => {
  // A worker frozen by the test is thawed; one that has just quit is gone (ESRCH), which is fine.
  for (const p of nginxWorkers(options.pid)) signalIfAlive(p, 'SIGCONT');
  process.kill(options.pid, 'SIGTERM');
  await expect.poll(() => isAlive(options.pid), { timeout: 10_000 }).toBe(false);
  await Promise.all(regions.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

test('once the repoint returns, every new connection reaches the new region', async () => {
  expect(await regionBehindEntry()).toBe('primary');
  await repointGlobalEntry({ ...options, activeIngressPort: REGION_PORTS.secondary, activeRegion: 'secondary' });
  const answers = [];
  for (let i = 0; i < 50; i++) answers.push(await regionBehindEntry());
  expect(new Set(answers)).toEqual(new Set(['secondary']));
});

test('an old worker that has not stopped accepting keeps the repoint from returning: frozen, it fails after its timeout', async () => {
  const old = nginxWorkers(options.pid);
  expect(old.length).toBeGreaterThan(0);
  // Frozen, the old worker cannot handle the master's quit: it would still take connections for the old region.
  for (const p of old) process.kill(p, 'SIGSTOP');
  const started = Date.now();
  const repoint = repointGlobalEntry({ ...options, activeIngressPort: REGION_PORTS.secondary, activeRegion: 'secondary' }, 1_000);
  await expect(repoint).rejects.toThrow(/old workers to stop accepting/);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  for (const p of old) signalIfAlive(p, 'SIGCONT');
});
