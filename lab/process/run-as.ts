import { readFileSync, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
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

/**
 * The lab's data folders live under the run folder; a user other than us (postgres) must be able to traverse every
 * folder above them. Checked before anything starts, because initdb's own error is cryptic.
 */
export function assertUserCanReach(dir: string, user: RunAsUser | undefined): void {
  if (!user) return;
  const parts = resolvePath(dir).split('/').filter(Boolean);
  let path = '';
  for (const part of parts) {
    path += `/${part}`;
    let st;
    try {
      st = statSync(path);
    } catch {
      return; // below here we create the folders ourselves, with access for that user
    }
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) {
      throw new FaultlineError(
        'FAULTLINE_BAD_INPUT',
        `PostgreSQL runs as the ${user.name} user, which cannot enter ${path}; nothing was started`,
        `choose a --run-dir it can reach (for example under /tmp), or chmod o+x ${path}`,
      );
    }
  }
}
