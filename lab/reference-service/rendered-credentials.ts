import { statSync } from 'node:fs';
import { readDbCredentials } from '../contract/db-credentials.ts';
import type { CredentialSource } from './database.ts';

/**
 * The credentials the region's secret agent renders, read again whenever the file changes (checked at most every
 * 100 ms, on use): the service side of a Vault Agent template.
 */
export class RenderedCredentials implements CredentialSource {
  private stamp = '';
  private value: ReturnType<CredentialSource['current']>;
  private checkedAt = 0;

  constructor(private readonly file: string) {}

  current(): ReturnType<CredentialSource['current']> {
    const now = Date.now();
    if (now - this.checkedAt < 100) return this.value;
    this.checkedAt = now;
    let stamp = '';
    try {
      const st = statSync(this.file);
      stamp = `${st.mtimeMs}/${st.size}/${st.ino}`;
    } catch {
      return (this.value = undefined);
    }
    if (stamp === this.stamp) return this.value;
    const creds = readDbCredentials(this.file);
    if (!creds) return this.value;
    this.stamp = stamp;
    this.value = { user: creds.username, password: creds.password, version: creds.serial, valid: creds.leaseValid };
    return this.value;
  }
}
