import { mkdirSync, writeFileSync } from 'node:fs';
import { hostsFileOf } from '../contract/index.ts';
import { findBinary, spawnDaemon, waitForPort } from '../process/index.ts';

export interface DnsResolverOptions {
  region: string;
  port: number;
  /** One file per name; dnsmasq watches the folder and re-reads a file the moment it changes. */
  hostsDir: string;
  /** Name → address, served from the start. */
  names: Record<string, string>;
  logFile: string;
}

/**
 * One region's resolver (like a cluster's CoreDNS): dnsmasq answering the lab's names from a watched hosts folder,
 * NXDOMAIN for any other name under faultline.lab, and nothing forwarded anywhere. A DNS fault rewrites or empties
 * one name's file; dnsmasq picks the change up through inotify, with no restart and no cache to wait out (TTL 0).
 */
export async function startDnsResolver(options: DnsResolverOptions): Promise<{ pid: number }> {
  mkdirSync(options.hostsDir, { recursive: true });
  for (const [name, address] of Object.entries(options.names)) writeFileSync(hostsFileOf(options.hostsDir, name), `${address} ${name}\n`);
  const proc = await spawnDaemon({
    command: findBinary('dnsmasq'),
    args: [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--no-poll',
      `--port=${options.port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      `--hostsdir=${options.hostsDir}`,
      '--local=/faultline.lab/',
      '--local-ttl=0',
      // dnsmasq drops to `nobody` when started as root, which could not read the hosts folder under the run dir.
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      '--pid-file=',
      '--log-facility=-',
    ],
    logFile: options.logFile,
  });
  await waitForPort(options.port, { timeoutMs: 10_000, pid: proc.pid });
  return { pid: proc.pid };
}
