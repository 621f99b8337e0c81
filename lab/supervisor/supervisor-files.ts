import { join } from 'node:path';
import { readJsonFile } from '../contract/index.ts';

/** What the supervisor keeps alive; written by `lab up` to `supervisor.json` before the supervisor starts. */
export interface SupervisorConfig {
  runDir: string;
  ledgerDir: string;
  restartDelayMs: number;
  /** How often the watchdog reads the ledger. */
  watchdogIntervalMs: number;
  units: SupervisedUnit[];
}

export interface SupervisedUnit {
  /** e.g. `service-main jkt#0`, `heartbeat jkt`. */
  name: string;
  kind: 'service' | 'heartbeat' | 'dr-service' | 'vault' | 'secret-agent';
  region: string;
  service: string;
  replica: number;
  /** Where it listens, if it does. */
  port?: number;
  /** Entry file, relative to the project folder, run with `node --import tsx`. */
  entry: string;
  /** Arguments after the entry file (or after `command`). */
  args?: string[];
  /** A program to run instead of a Node entry (a Vault node): its absolute path. */
  command?: string;
  /** Vault nodes: the file holding their cluster's unseal key. Every (re)start is unsealed with it, as auto-unseal would. */
  unsealKeyFile?: string;
  /** Vault nodes: the secret store they belong to. */
  store?: string;
  env: Record<string, string>;
  logFile: string;
}

/** One unit as it runs now; the supervisor rewrites the whole list on every (re)start. */
export interface SupervisedProcess {
  name: string;
  kind: SupervisedUnit['kind'];
  region: string;
  service: string;
  replica: number;
  port?: number;
  pid: number;
  startedAt: number;
  restarts: number;
}

export const SUPERVISOR_CONFIG_FILE = 'supervisor.json';
export const SUPERVISED_FILE = 'supervised.json';

export function readSupervised(runDir: string): SupervisedProcess[] {
  return readJsonFile<SupervisedProcess[]>(join(runDir, SUPERVISED_FILE)) ?? [];
}
