import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { FaultlineError } from '../../core/index.ts';
import { readJsonFile } from './json-file.ts';
import { LAB_SERVICES_FILE, LAB_STATE_FILE, type LabServiceProcess, type LabState } from './lab-state.ts';

/** The lab as it is right now: its components, and the live service processes (which change as they restart). */
export interface LabSnapshot {
  state: LabState;
  services: LabServiceProcess[];
}

export function absoluteRunDir(runDir: string): string {
  return isAbsolute(runDir) ? runDir : resolve(runDir);
}

/** The running lab's description, or a clear error when there is none. */
export function readLabState(runDir: string): LabState {
  const dir = absoluteRunDir(runDir);
  const state = readJsonFile<LabState>(join(dir, LAB_STATE_FILE));
  if (!state) throw labNotRunning(dir);
  return state;
}

/** The live service processes, as the supervisor last wrote them. */
export function readLabServices(runDir: string): LabServiceProcess[] {
  const dir = absoluteRunDir(runDir);
  const services = readJsonFile<LabServiceProcess[]>(join(dir, LAB_SERVICES_FILE));
  if (!services) throw labNotRunning(dir);
  return services;
}

export function readLabSnapshot(runDir: string): LabSnapshot {
  return { state: readLabState(runDir), services: readLabServices(runDir) };
}

export function labNotRunning(runDir: string): FaultlineError {
  return new FaultlineError(
    'FAULTLINE_LAB_NOT_RUNNING',
    `no lab is running in ${runDir}${existsSync(runDir) ? '' : ' (the folder does not exist)'}`,
    'start one with `faultline lab up` (add --run-dir if it lives elsewhere)',
  );
}
