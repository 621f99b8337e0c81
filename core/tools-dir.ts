import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run setup` puts the binaries it builds (k6, toxiproxy): `<tools>/bin`, where tools is the given folder,
 * else FAULTLINE_TOOLS (which the setup script honours too), else the project's `.tools`.
 */
export function toolsBinDir(toolsDir?: string): string {
  const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return join(toolsDir ?? process.env.FAULTLINE_TOOLS ?? join(projectRoot, '.tools'), 'bin');
}
