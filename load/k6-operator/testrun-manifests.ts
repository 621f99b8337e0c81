import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { FaultlineError, parseDuration, type LoadProfile } from '../../core/index.ts';
import { buildK6Options, DEFAULT_REQUEST_TIMEOUT, GAMEDAY_SCRIPT, K6_CONFIG_ENV, type K6ScriptConfig } from '../index.ts';

/** Where each region's load runs. A KubernetesBinding (chaos/mesh) satisfies this shape as it is. */
export interface K6OperatorTarget {
  regions: Record<string, { context: string; load?: { namespace: string; ingressUrl: string } }>;
}

/** A load profile for distributed runs: core's profile plus how many runner pods split each region's load. */
export type K6OperatorProfile = LoadProfile & {
  /** Runner pods per region (k6 execution segments); one number for all regions or one per region. Default 1. */
  parallelism?: number | Record<string, number>;
};

export interface K6OperatorSettings {
  target: K6OperatorTarget;
  /** Prometheus base URL as the runner pods reach it; k6 remote-writes to `<url>/api/v1/write`. */
  prometheusUrl: string;
  /** Runner image. Default `grafana/k6:2.2.0`, the k6 the lab runs locally. */
  image?: string;
  /** Reads ask for ids 1..itemCount. Default 1000. */
  itemCount?: number;
  /** The k6 script and the local files it imports, mounted side by side under /test. Default: the game-day script. */
  scriptFiles?: string[];
}

export interface RegionLoadManifests {
  region: string;
  context: string;
  namespace: string;
  configMap: KubeManifest;
  testRun: KubeManifest;
}

export interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  [field: string]: unknown;
}

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'faultline' };
const MOUNT = '/test';

/** The game-day script and the config module it imports. */
export function defaultScriptFiles(): string[] {
  return [GAMEDAY_SCRIPT, join(dirname(GAMEDAY_SCRIPT), 'script-config.ts')];
}

/**
 * One ConfigMap (script + that region's k6 config) and one TestRun per region cluster. Each region runs only its own
 * scenario, against its in-cluster ingress, split over `parallelism` runner pods; every sample reaches Prometheus by
 * remote write, tagged with the run id.
 */
export function k6OperatorManifests(
  profile: K6OperatorProfile,
  run: { runId: string; scenario: string; durationMs: number },
  s: K6OperatorSettings,
): RegionLoadManifests[] {
  const files = (s.scriptFiles ?? defaultScriptFiles()).map((path) => ({ name: basename(path), text: readFileSync(path, 'utf8') }));
  const entry = files[0];
  if (!entry) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'no k6 script given for the k6-operator runner');
  return Object.keys(profile.regions).map((region) => {
    const cluster = s.target.regions[region];
    if (!cluster?.load) {
      throw new FaultlineError(
        'FAULTLINE_UNKNOWN_NAME',
        `region "${region}" has no load placement in the kubernetes binding; no load was started`,
        `set regions.${region}.load = { namespace, ingressUrl } in the binding`,
      );
    }
    const parallelism = typeof profile.parallelism === 'number' ? profile.parallelism : (profile.parallelism?.[region] ?? 1);
    if (!Number.isInteger(parallelism) || parallelism < 1) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `${region}: parallelism ${parallelism} is not a positive whole number`, 'give 1 or more runner pods');
    }
    const own: LoadProfile = { ...profile, regions: { [region]: profile.regions[region]! } };
    const config: K6ScriptConfig = {
      options: { ...buildK6Options(own, { durationMs: run.durationMs, runId: run.runId }) },
      ingress: { [region]: cluster.load.ingressUrl },
      writeRatio: profile.writeRatio,
      requestTimeoutMs: parseDuration(profile.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT, 'requestTimeout'),
      itemCount: s.itemCount ?? 1000,
    };
    const name = testRunName(run.runId, region);
    const namespace = cluster.load.namespace;
    const labels = { ...MANAGED_BY, 'faultline.dev/run-id': labelValue(run.runId), 'faultline.dev/region': labelValue(region) };
    const configMap: KubeManifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels },
      data: { ...Object.fromEntries(files.map((f) => [f.name, f.text])), 'config.json': JSON.stringify(config, null, 2) },
    };
    const testRun: KubeManifest = {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: { name, namespace, labels },
      spec: {
        parallelism,
        script: { configMap: { name, file: entry.name } },
        // k6 segments the arrival rate across runners itself; the run id tags every sample for Prometheus queries.
        arguments: `--no-usage-report --features native-histograms -o experimental-prometheus-rw --tag testid=${run.runId}`,
        runner: {
          image: s.image ?? 'grafana/k6:2.2.0',
          env: [
            { name: K6_CONFIG_ENV, value: `${MOUNT}/config.json` },
            { name: 'K6_PROMETHEUS_RW_SERVER_URL', value: `${s.prometheusUrl.replace(/\/+$/, '')}/api/v1/write` },
            { name: 'K6_PROMETHEUS_RW_PUSH_INTERVAL', value: '1s' },
            { name: 'K6_NO_USAGE_REPORT', value: 'true' },
          ],
        },
      },
    };
    return { region, context: cluster.context, namespace, configMap, testRun };
  });
}

/** `<run>-k6-<region>` as a DNS-1123 label, hashed when it had to be cleaned or shortened. */
export function testRunName(runId: string, region: string): string {
  const raw = `${runId}-k6-${region}`;
  const clean = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  if (clean === raw && clean.length <= 52) return clean; // k6-operator appends `-initializer`, `-1` … to pod names
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${clean.slice(0, 43).replace(/-+$/, '')}-${hash}`;
}

function labelValue(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return clean.length <= 63 ? clean : `${clean.slice(0, 54).replace(/[^A-Za-z0-9]+$/, '')}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}
