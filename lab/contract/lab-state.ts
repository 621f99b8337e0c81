import type { LabRouteProxy } from './route-faults.ts';
import type { LabSecretStore } from './secret-store.ts';
import type { LabSlowDisk } from './slow-disk.ts';

/**
 * What a running lab looks like, written by lab/ and read by the lab fault driver and the CLI.
 * Files under the lab's run folder:
 * - `state.json`: the components `lab up` started (stable for the lab's life).
 * - `services.json`: the live service processes; the supervisor rewrites it on every (re)start.
 */
export const LAB_STATE_FILE = 'state.json';
export const LAB_SERVICES_FILE = 'services.json';
export const LAB_LEDGER_DIR = 'ledger';

/** The name a region's services resolve to reach `service` in `region`, through their region's resolver. */
export function labHostname(service: string, region: string): string {
  return `${service}.${region}.faultline.lab`;
}

/** The hosts file of one name in a resolver's hosts folder (dnsmasq re-reads it on change). */
export function hostsFileOf(hostsDir: string, hostname: string): string {
  return `${hostsDir}/${hostname}`;
}

/** The libfaketime offset file of one service process (its contents: `+0`, `+90`, `-30`, in whole seconds). */
export function clockFileOf(clockDir: string, region: string, service: string, replica: number): string {
  return `${clockDir}/${region}-${service}-${replica}`;
}

export interface LabState {
  topology: string;
  startedAt: number;
  runDir: string;
  portBase: number;
  restartDelayMs: number;
  prometheus: { url: string; port: number; pid: number };
  toxiproxy: { apiUrl: string; port: number; pid: number; proxies: LabProxy[] };
  /** `cdc`: a writable copy fed by logical replication (active/passive labs). `store` names the topology's datastore. */
  postgres: { region: string; role: 'primary' | 'replica' | 'cdc'; port: number; pid: number; dataDir: string; store?: string }[];
  redis: { region: string; port: number; pid: number }[];
  nginx: { region: string; port: number; pid: number; url: string }[];
  supervisor: { pid: number };
  ledgerDir: string;
  /** Receives the alerts Prometheus's rules fire. Absent in labs started before it existed. */
  alertmanager?: { url: string; port: number; pid: number };
  /** One resolver per region (dnsmasq); its services resolve other regions' names through it. */
  dns?: { region: string; port: number; pid: number; hostsDir: string }[];
  /** The proxy layer in front of the primary region's API, where HTTP faults go. */
  routeProxy?: LabRouteProxy;
  /** Per-process clock offset files read by libfaketime in every service process (timeSkew). */
  clockDir?: string;
  /** Present on an active/passive lab. */
  activePassive?: ActivePassiveState;
  /** The secret store (Vault) and the agents beside the services, when the topology has one. */
  secretStore?: LabSecretStore;
  /** The delaying FUSE filesystem the databases' data directories live on (ioLatency), when it could be mounted. */
  slowDisk?: LabSlowDisk;
}

/** The parts only an active/passive lab has: the global entry point, the broker, the stores and the DR service. */
export interface ActivePassiveState {
  primary: string;
  secondary: string;
  /** The global load balancer stand-in users enter through; failover repoints it. */
  globalEntry: { url: string; port: number; pid: number; configFile: string };
  nats: { region: string; port: number; monitorPort: number; pid: number }[];
  /** Which engine and which copy carry each store the lab runs. */
  stores: { name: string; mode: 'async' | 'cdc' | 'mirror'; engine: 'postgres' | 'nats'; database?: string; stream?: string }[];
  /** The DR service: health-checks the primary, runs the failover runbook (on its own, or when asked over HTTP). */
  drService: { url: string; port: number };
}

/** Written by the lab's runbook into the run folder: which region is active now, and how it got there. */
export const LAB_FAILOVER_FILE = 'failover.json';

export interface LabFailoverRecord {
  /** The region that takes writes and user traffic now. */
  active: string;
  /** Each runbook the lab ran, newest last. */
  history: {
    action: 'failover' | 'failback';
    trigger: 'manual' | 'watcher';
    from: string;
    to: string;
    /** When the watcher declared the active region dead (watcher-triggered only). */
    detectedAt?: number;
    startedAt: number;
    endedAt: number;
    ok: boolean;
    steps: { name: string; ms: number; ok: boolean; detail?: string }[];
    error?: string;
  }[];
}

/** One toxiproxy proxy: a connection that crosses from one region to another. */
export interface LabProxy {
  name: string;
  /** The region the connecting client lives in. */
  from: string;
  /** The region the upstream server lives in. */
  to: string;
  /** `replication` (PostgreSQL streaming), `cdc` (logical replication), `mirror` (broker mirroring), `api` (writes). */
  purpose: 'replication' | 'cdc' | 'mirror' | 'api';
  /** The topology datastore whose traffic this link carries, when it carries one. */
  store?: string;
  listen: string;
  upstream: string;
}

export interface LabServiceProcess {
  region: string;
  service: string;
  replica: number;
  port: number;
  pid: number;
  startedAt: number;
}
