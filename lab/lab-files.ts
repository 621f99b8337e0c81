import { join } from 'node:path';
import { absoluteRunDir, LAB_STATE_FILE, readJsonFile, writeJsonAtomic, type LabState } from './contract/index.ts';

/**
 * Every process `lab up` started itself (the supervisor starts the services), written after each start so that a
 * `lab up` that failed or was interrupted midway can still be undone by pid.
 */
export interface StartedComponent {
  /** e.g. `postgres jkt`, `nginx bdg`. */
  name: string;
  kind: 'prometheus' | 'toxiproxy' | 'postgres' | 'redis' | 'nginx' | 'nats' | 'supervisor' | 'alertmanager' | 'dnsmasq' | 'slowfs';
  region?: string;
  port?: number;
  pid: number;
  /** A word its command line contains; a pid reused by something else since is never signalled. */
  expect: string;
  /** PostgreSQL's fast shutdown is SIGINT; SIGTERM would wait for every client to leave. */
  stopSignal: NodeJS.Signals;
}

export interface StartedFile {
  topology: string;
  portBase: number;
  /** Every port the lab listens on, so `lab down` can check none is left bound. */
  ports: number[];
  dataDirs: string[];
  components: StartedComponent[];
}

export const STARTED_FILE = 'started.json';

export function writeStarted(runDir: string, started: StartedFile): void {
  writeJsonAtomic(join(runDir, STARTED_FILE), started);
}

export function readStarted(runDir: string): StartedFile | undefined {
  return readJsonFile<StartedFile>(join(absoluteRunDir(runDir), STARTED_FILE));
}

export function writeLabState(runDir: string, state: LabState): void {
  writeJsonAtomic(join(runDir, LAB_STATE_FILE), state);
}
