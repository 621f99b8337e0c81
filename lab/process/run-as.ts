import { readFileSync } from 'node:fs';
import { FaultlineError } from '../../core/index.ts';

export interface RunAsUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. When we are root it runs as the `postgres` user (created by the Debian package);
 * otherwise as ourselves, and undefined is returned.
 */
export function databaseUser(): RunAsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new FaultlineError(
      'FAULTLINE_SETUP_MISSING',
      'running as root, but there is no `postgres` user for PostgreSQL to run as; nothing was started',
      'run `npm run setup` (the postgresql package creates the user), or run the lab as an ordinary user',
    );
  }
  return { name: 'postgres', uid: Number(uid), gid: Number(gid) };
}
