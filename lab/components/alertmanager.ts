import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findBinary, spawnDaemon, waitForHttp } from '../process/index.ts';

export interface AlertmanagerOptions {
  port: number;
  dataDir: string;
  logFile: string;
}

/**
 * Debian's Alertmanager, receiving what Prometheus's alerting rules fire. Notifications go to a receiver with no
 * integration (this machine reaches no pager); alerts are still received, grouped and listed by its API, which is
 * where a game day sees that the team's alert reached the alerting pipeline.
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<{ pid: number; url: string }> {
  mkdirSync(options.dataDir, { recursive: true });
  const configFile = join(options.dataDir, 'alertmanager.yml');
  writeFileSync(
    configFile,
    stringify({
      route: { receiver: 'game-day', group_by: ['alertname', 'region'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h' },
      receivers: [{ name: 'game-day' }],
    }),
  );
  const url = `http://127.0.0.1:${options.port}`;
  const proc = await spawnDaemon({
    command: findBinary('prometheus-alertmanager'),
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${options.dataDir}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      // No gossip cluster: its default port 9094 is outside the lab's block, and one instance needs no peers.
      '--cluster.listen-address=',
    ],
    logFile: options.logFile,
  });
  await waitForHttp(`${url}/-/ready`, { timeoutMs: 15_000, pid: proc.pid });
  return { pid: proc.pid, url };
}

/** The alerts Alertmanager holds now (firing ones), by name. */
export async function alertmanagerAlerts(url: string): Promise<{ name: string; labels: Record<string, string>; startsAt: string }[]> {
  const res = await fetch(`${url}/api/v2/alerts`, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`alertmanager answered ${res.status}`);
  const body = (await res.json()) as { labels: Record<string, string>; startsAt: string }[];
  return body.map((a) => ({ name: a.labels.alertname ?? '', labels: a.labels, startsAt: a.startsAt }));
}
