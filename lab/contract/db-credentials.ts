import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * The database credentials a region's secret agent renders for its services, as Vault Agent renders a template:
 * written whole (mode 0600) whenever they change. Services open new connections whenever `serial` moves.
 */
export interface RenderedDbCredentials {
  username: string;
  password: string;
  /** False once the lease expired without being renewed: the credentials must not be used any more. */
  leaseValid: boolean;
  /** Bumped on every rendering; a change tells services to drop their pooled connections. */
  serial: number;
}

export function writeDbCredentials(file: string, creds: RenderedDbCredentials): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(creds), { mode: 0o600 });
  renameSync(tmp, file);
}

export function readDbCredentials(file: string): RenderedDbCredentials | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RenderedDbCredentials;
  } catch {
    return undefined;
  }
}
