import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgQuery } from '../components/postgres.ts';
import type { RunAsUser } from '../process/index.ts';

/** The group role every user Vault issues joins: the service's grants live here, not on the short-lived users. */
export const SERVICE_DB_GROUP = 'faultline_app';

/**
 * The database side of the secret store: the group role with the reference service's grants, on the primary
 * (replicas follow through WAL, users Vault creates included). Idempotent.
 */
export async function prepareServiceGroup(port: number, user: RunAsUser | undefined, database: string): Promise<void> {
  await pgQuery(
    port,
    user,
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SERVICE_DB_GROUP}') THEN CREATE ROLE ${SERVICE_DB_GROUP} NOLOGIN; END IF;
     END $$;
     GRANT CONNECT ON DATABASE ${database} TO ${SERVICE_DB_GROUP};
     GRANT SELECT, INSERT ON items, heartbeat TO ${SERVICE_DB_GROUP};
     GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${SERVICE_DB_GROUP};`,
    database,
  );
}

const HBA_LINE = `host all +${SERVICE_DB_GROUP} 127.0.0.1/32 scram-sha-256`;

/**
 * Makes PostgreSQL check the passwords of the users Vault issues (and their VALID UNTIL): a line ahead of the lab's
 * trust rule, which still lets the lab's own superuser (heartbeat, faults, Vault's admin connection) in. Written into
 * the folder the cluster's files live in, before the server starts; a copy made by pg_basebackup carries it along.
 */
export function requirePasswordsForIssuedUsers(storageDir: string): void {
  const file = join(storageDir, 'pg_hba.conf');
  // A kept folder without one is no database: PostgreSQL refuses to start it and says why in its own log.
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (text.split('\n').includes(HBA_LINE)) return;
  // Rewriting the existing file in place keeps its owner and mode (a server running as postgres still reads it).
  writeFileSync(file, `# written by faultline lab up: users the secret store issues must log in with their password\n${HBA_LINE}\n${text}`);
}
