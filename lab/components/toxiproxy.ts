import type { LabProxy } from '../contract/index.ts';
import { findBinary, spawnDaemon, waitForHttp } from '../process/index.ts';

export interface ToxiproxyOptions {
  port: number;
  logFile: string;
  proxies: LabProxy[];
}

/**
 * Starts toxiproxy and creates one proxy per cross-region connection. Faults add toxics to these proxies; every
 * proxy starts enabled and clean, because toxiproxy keeps nothing across restarts.
 */
export async function startToxiproxy(options: ToxiproxyOptions): Promise<{ pid: number; apiUrl: string }> {
  const proc = await spawnDaemon({
    command: findBinary('toxiproxy'),
    args: ['-host', '127.0.0.1', '-port', String(options.port)],
    logFile: options.logFile,
    // Its default logs every API call and connection at debug level; a fault-heavy game day would fill the disk.
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  const apiUrl = `http://127.0.0.1:${options.port}`;
  await waitForHttp(`${apiUrl}/version`, { timeoutMs: 10_000, pid: proc.pid });
  const res = await fetch(`${apiUrl}/populate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(options.proxies.map((p) => ({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: true }))),
  });
  if (!res.ok) throw new Error(`toxiproxy refused the proxies: ${res.status} ${await res.text()}`);
  return { pid: proc.pid, apiUrl };
}

export interface ProxyStatus {
  name: string;
  enabled: boolean;
  toxics: string[];
}

/** The proxies as toxiproxy sees them now: a fault shows up as a toxic or a disabled proxy. */
export async function listProxies(apiUrl: string): Promise<ProxyStatus[]> {
  const res = await fetch(`${apiUrl}/proxies`, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`toxiproxy answered ${res.status}`);
  const body = (await res.json()) as Record<string, { name: string; enabled: boolean; toxics: { name: string }[] }>;
  return Object.values(body).map((p) => ({ name: p.name, enabled: p.enabled, toxics: p.toxics.map((t) => t.name) }));
}
