import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaultlineError, toolsBinDir } from '../../core/index.ts';

/** The project folder: services and the supervisor are started with it as their working directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');


/** Debian puts PostgreSQL's server binaries outside PATH. */
export const POSTGRES_BIN_DIR = '/usr/lib/postgresql/15/bin';

/** The binaries each lab component needs, and where each is looked for. */
export type LabBinary = 'prometheus' | 'toxiproxy' | 'postgres' | 'initdb' | 'pg_basebackup' | 'redis-server' | 'nginx' | 'dnsmasq' | 'prometheus-alertmanager' | 'nats-server' | 'vault' | 'slowfs';

/** libfaketime, preloaded into every service process so a timeSkew fault can move its clock (Debian's libfaketime). */
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
/** NGINX's njs module: the route proxy's HTTP faults are an njs script (Debian's libnginx-mod-http-js). */
export const NGINX_NJS_MODULE = '/usr/lib/nginx/modules/ngx_http_js_module.so';

/** Refuses to start a lab whose shared libraries are missing, the way findBinary does for programs. */
export function requireLibrary(path: string, pkg: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new FaultlineError('FAULTLINE_SETUP_MISSING', `${path} is not installed (Debian package ${pkg}); nothing was started`, 'run `npm run setup`, then retry');
  }
}

/** Resolves a binary to an absolute path, or says to run the setup script. */
export function findBinary(name: LabBinary): string {
  const dirs =
    name === 'toxiproxy' || name === 'vault' || name === 'slowfs'
      ? [toolsBinDir()]
      : name === 'postgres' || name === 'initdb' || name === 'pg_basebackup'
        ? [POSTGRES_BIN_DIR]
        : // An ordinary user's PATH often lacks /usr/sbin, where Debian installs nginx.
          [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  throw new FaultlineError(
    'FAULTLINE_SETUP_MISSING',
    `${name} is not installed (looked in ${dirs.length > 3 ? 'PATH, /usr/sbin, /usr/bin' : dirs.join(', ')}); nothing was started`,
    'run `npm run setup` (installs the Debian packages and builds k6 and toxiproxy into .tools/bin), then retry',
  );
}
