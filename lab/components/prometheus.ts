import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { FaultlineError, parseDuration } from '../../core/index.ts';
import { assertPortsFree, findBinary, spawnDaemon, stopPid, waitForHttp, WaitError } from '../process/index.ts';

export interface ScrapeTarget {
  /** host:port */
  address: string;
  labels: Record<string, string>;
}

export interface ScrapeConfig {
  jobName: string;
  targets: ScrapeTarget[];
  /** Default `/metrics`. */
  metricsPath?: string;
  /** URL query parameters of every scrape, e.g. Vault's `format=prometheus`. Default none. */
  params?: Record<string, string[]>;
}

export interface PrometheusOptions {
  port: number;
  /** TSDB folder; created if missing. The config file is written next to it. */
  dataDir: string;
  logFile: string;
  scrapeConfigs: ScrapeConfig[];
  /** Default '1s': SLO windows of tens of seconds need many samples. */
  scrapeInterval?: string;
  /** How long to wait for /-/ready. Default '30s'. */
  readyTimeout?: string;
  /** Alerting (and recording) rule files, evaluated every scrape interval. Default: none. */
  ruleFiles?: string[];
  /** Alertmanagers (host:port) the alerts go to. Default: none. */
  alertmanagers?: string[];
}

export interface StartedPrometheus {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts Debian's Prometheus on 127.0.0.1 with the remote-write receiver (k6 pushes its metrics) and native
 * histograms (k6 sends its latency trend as one). Resolves once /-/ready answers; note that the first scraped
 * sample becomes queryable some seconds later (see waitForPrometheusData).
 */
export async function startPrometheus(options: PrometheusOptions): Promise<StartedPrometheus> {
  const binary = findBinary('prometheus');
  await assertPortsFree([{ port: options.port, component: 'prometheus' }], options.port);
  mkdirSync(options.dataDir, { recursive: true });
  const configFile = join(dirname(options.dataDir), `prometheus-${options.port}.yml`);
  writeFileSync(configFile, prometheusConfig(options));
  const url = `http://127.0.0.1:${options.port}`;
  const proc = await spawnDaemon({
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${options.dataDir}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--web.enable-remote-write-receiver',
      '--web.enable-lifecycle',
      '--enable-feature=native-histograms',
      '--storage.tsdb.retention.time=2d',
    ],
    logFile: options.logFile,
  });
  const stop = async () => {
    await stopPid(proc.pid, { expect: 'prometheus' });
  };
  try {
    await waitForHttp(`${url}/-/ready`, { timeoutMs: parseDuration(options.readyTimeout ?? '30s'), pid: proc.pid });
  } catch (e) {
    await stop();
    throw new FaultlineError(
      'FAULTLINE_PROMETHEUS_UNREACHABLE',
      `Prometheus on port ${options.port} did not become ready: ${(e as Error).message}`,
      `read its log: ${options.logFile}`,
      { cause: e instanceof WaitError ? undefined : e },
    );
  }
  return { url, pid: proc.pid, stop };
}

/** The YAML config: one static job per scrape config, scrape timeout equal to the interval. */
export function prometheusConfig(options: Pick<PrometheusOptions, 'scrapeConfigs' | 'scrapeInterval' | 'ruleFiles' | 'alertmanagers'>): string {
  const interval = options.scrapeInterval ?? '1s';
  return stringify({
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    ...(options.ruleFiles?.length && { rule_files: options.ruleFiles }),
    ...(options.alertmanagers?.length && { alerting: { alertmanagers: [{ static_configs: [{ targets: options.alertmanagers }] }] } }),
    scrape_configs: options.scrapeConfigs.map((job) => ({
      job_name: job.jobName,
      // The reference service already labels its series with region/service; the target labels carry the same
      // values. Honouring the scraped ones avoids `exported_region` duplicates that would split every sum by region.
      honor_labels: true,
      ...(job.metricsPath && { metrics_path: job.metricsPath }),
      ...(job.params && { params: job.params }),
      static_configs: job.targets.map((t) => ({ targets: [t.address], labels: t.labels })),
    })),
  });
}
