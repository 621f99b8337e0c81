import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FaultlineError,
  LAB_SERVICES_FILE,
  LAB_STATE_FILE,
  type LabServiceProcess,
  type LabState,
} from '../../core/index.ts';

/** The lab as it is right now: its components, and the live service processes (which change as they restart). */
export interface LabSnapshot {
  state: LabState;
  services: LabServiceProcess[];
}

export function readLabSnapshot(runDir: string): LabSnapshot {
  const state = readJson<LabState>(join(runDir, LAB_STATE_FILE));
  const services = readJson<LabServiceProcess[]>(join(runDir, LAB_SERVICES_FILE));
  return { state, services };
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new FaultlineError(
      'FAULTLINE_LAB_NOT_RUNNING',
      `the lab is not running (cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      'start it with `faultline lab up` (or `npm run lab -- up`)',
    );
  }
}
