import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaultlineError, toolsBinDir } from '../core/index.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The game-day k6 script (TypeScript, run natively by k6). Its config arrives through FAULTLINE_K6_CONFIG. */
export const GAMEDAY_SCRIPT = join(here, 'k6', 'gameday.ts');

/**
 * The k6 binary `npm run setup` builds: `<tools>/bin/k6`, where tools is `toolsDir`, else FAULTLINE_TOOLS (as for
 * the setup script), else the project's `.tools`.
 */
export function k6Binary(toolsDir?: string): string {
  const binary = join(toolsBinDir(toolsDir), 'k6');
  try {
    accessSync(binary, constants.X_OK);
    return binary;
  } catch {
    throw new FaultlineError(
      'FAULTLINE_SETUP_MISSING',
      `k6 is not installed at ${binary}; no load was started`,
      'run `npm run setup` (it builds k6 into .tools/bin), or point FAULTLINE_TOOLS at the folder that holds bin/k6',
    );
  }
}
