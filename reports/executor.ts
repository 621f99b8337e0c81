import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Allure 2's `executor.json`: who built the report. `buildOrder` numbers the points of the trend charts. */
export interface ExecutorInfo {
  /** Default `faultline`. */
  name?: string;
  /** Default `faultline`. */
  type?: string;
  buildName?: string;
  buildOrder?: number;
  buildUrl?: string;
  reportName?: string;
  reportUrl?: string;
}

export function writeExecutor(resultsDir: string, executor: ExecutorInfo): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, 'executor.json');
  const info = {
    name: 'faultline',
    type: 'faultline',
    reportName: 'faultline game days',
    ...executor,
    ...(executor.buildOrder !== undefined && executor.buildName === undefined && { buildName: `game days #${executor.buildOrder}` }),
  };
  writeFileSync(path, JSON.stringify(info, null, 2) + '\n');
  return path;
}
