/**
 * What a running lab looks like, written by lab/ and read by the lab fault driver and the CLI.
 * Files under the lab's run folder:
 * - `state.json`: the components `lab up` started (stable for the lab's life).
 * - `services.json`: the live service processes; the supervisor rewrites it on every (re)start.
 */
export const LAB_STATE_FILE = 'state.json';
export const LAB_SERVICES_FILE = 'services.json';
export const LAB_LEDGER_DIR = 'ledger';

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
