import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { FaultlineError, LAB_SERVICES_FILE, LAB_STATE_FILE, type LabServiceProcess, type LabState } from '../core/index.ts';
import { readJsonFile, writeJsonAtomic } from './supervisor/index.ts';

/**
 * Every process `lab up` started itself (the supervisor starts the services), written after each start so that a
 * `lab up` that failed or was interrupted midway can still be undone by pid.
 */
export interface StartedComponent {
  /** e.g. `postgres jkt`, `nginx bdg`. */
  name: string;
  kind: 'prometheus' | 'toxiproxy' | 'postgres' | 'redis' | 'nginx' | 'supervisor';
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

export function absoluteRunDir(runDir: string): string {
  return isAbsolute(runDir) ? runDir : resolve(runDir);
}

export function writeStarted(runDir: string, started: StartedFile): void {
  writeJsonAtomic(join(runDir, STARTED_FILE), started);
}

export function readStarted(runDir: string): StartedFile | undefined {
  return readJsonFile<StartedFile>(join(absoluteRunDir(runDir), STARTED_FILE));
}

/** The running lab's description, or a clear error when there is none. */
export function readLabState(runDir: string): LabState {
  const dir = absoluteRunDir(runDir);
  const state = readJsonFile<LabState>(join(dir, LAB_STATE_FILE));
  if (!state) throw notRunning(dir);
  return state;
}

/** The live service processes, as the supervisor last wrote them. */
export function readLabServices(runDir: string): LabServiceProcess[] {
  const dir = absoluteRunDir(runDir);
  const services = readJsonFile<LabServiceProcess[]>(join(dir, LAB_SERVICES_FILE));
  if (!services) throw notRunning(dir);
  return services;
}

export function writeLabState(runDir: string, state: LabState): void {
  writeJsonAtomic(join(runDir, LAB_STATE_FILE), state);
}

export function notRunning(runDir: string): FaultlineError {
  return new FaultlineError(
    'FAULTLINE_LAB_NOT_RUNNING',
    `no lab is running in ${runDir}${existsSync(runDir) ? '' : ' (the folder does not exist)'}`,
    'start one with `faultline lab up` (add --run-dir if it lives elsewhere)',
  );
}
