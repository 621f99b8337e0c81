import type { LabRouteProxy } from './route-faults.ts';

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
  postgres: { region: string; role: 'primary' | 'replica'; port: number; pid: number; dataDir: string }[];
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
}

/** One toxiproxy proxy: a connection that crosses from one region to another. */
export interface LabProxy {
  name: string;
  /** The region the connecting client lives in. */
  from: string;
  /** The region the upstream server lives in. */
  to: string;
  purpose: 'replication' | 'api';
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
