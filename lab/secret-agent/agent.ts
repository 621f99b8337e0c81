import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDbCredentials } from '../contract/db-credentials.ts';
import { vaultCall, type VaultReply } from '../contract/vault-api.ts';
import type { AgentConfig } from './config.ts';

export type Call = 'login' | 'creds' | 'renew' | 'token' | 'config';

interface Lease {
  id: string;
  username: string;
  password: string;
  durationMs: number;
  /** Epoch ms by this process's clock (the agent runs without libfaketime): when Vault's lease runs out. */
  expiresAt: number;
  renewAt: number;
  expired: boolean;
}

/**
 * A Vault Agent-style sidecar for one region: logs in with AppRole, leases database credentials and renders them for
 * the region's services, renews the lease at a third of its TTL, re-reads a static secret every `secretPollMs`.
 * When the lease runs out unrenewed (the store is gone), it renders the credentials as expired and the services stop
 * using them: the region fails as designed, at the lease's end. As soon as the store answers again it leases new
 * credentials.
 */
export class SecretAgent {
  private addr = 0;
  private token: string | undefined;
  private tokenRenewAt = 0;
  private lease: Lease | undefined;
  private serial = 0;
  private nextConfigAt = 0;

  constructor(
    private readonly config: AgentConfig,
    private readonly observe: (call: Call, ok: boolean) => void,
    private readonly leaseExpiry: (epochMs: number) => void,
  ) {}

  /** One step of the loop; never throws. */
  async tick(now = Date.now()): Promise<void> {
    if (!this.token) await this.login(now);
    else if (now >= this.tokenRenewAt) await this.renewToken(now);
    if (this.token) {
      if (!this.lease || this.lease.expired) await this.leaseCredentials(Date.now());
      else if (Date.now() >= this.lease.renewAt) await this.renewLease(Date.now());
    }
    if (this.lease && !this.lease.expired && Date.now() >= this.lease.expiresAt) {
      this.lease.expired = true;
      this.render();
    }
    if (this.token && Date.now() >= this.nextConfigAt) {
      this.nextConfigAt = Date.now() + this.config.secretPollMs;
      await this.call('config', 'GET', 'secret/data/service/config');
    }
  }

  private async login(now: number): Promise<void> {
    const roleId = readSecret(join(this.config.vaultDir, 'role-id'));
    const secretId = readSecret(join(this.config.vaultDir, 'secret-id'));
    if (!roleId || !secretId) return; // lab up has not configured the store yet
    const reply = await this.call<{ auth?: { client_token?: string; lease_duration?: number } }>('login', 'POST', 'auth/approle/login', { role_id: roleId, secret_id: secretId }, false);
    const auth = reply?.body?.auth;
    if (!auth?.client_token) return;
    this.token = auth.client_token;
    this.tokenRenewAt = now + ((auth.lease_duration ?? 3600) * 1000) / 2;
  }

  private async renewToken(now: number): Promise<void> {
    const reply = await this.call<{ auth?: { lease_duration?: number } }>('token', 'PUT', 'auth/token/renew-self', {});
    if (reply?.status === 200) this.tokenRenewAt = now + ((reply.body?.auth?.lease_duration ?? 3600) * 1000) / 2;
    else if (reply && reply.status >= 400 && reply.status < 500) this.token = undefined; // expired or revoked: log in again
  }

  private async leaseCredentials(now: number): Promise<void> {
    const reply = await this.call<{ lease_id?: string; lease_duration?: number; data?: { username?: string; password?: string } }>('creds', 'GET', 'database/creds/service');
    const body = reply?.body;
    if (reply?.status !== 200 || !body?.lease_id || !body.data?.username || !body.data.password) {
      if (reply && (reply.status === 403 || reply.status === 401)) this.token = undefined;
      return;
    }
    const durationMs = (body.lease_duration ?? 30) * 1000;
    this.lease = { id: body.lease_id, username: body.data.username, password: body.data.password, durationMs, expiresAt: now + durationMs, renewAt: now + durationMs / 3, expired: false };
    this.render();
  }

  private async renewLease(now: number): Promise<void> {
    const lease = this.lease!;
    const reply = await this.call<{ lease_duration?: number }>('renew', 'PUT', 'sys/leases/renew', { lease_id: lease.id, increment: Math.round(lease.durationMs / 1000) });
    if (reply?.status === 200) {
      const ms = (reply.body?.lease_duration ?? lease.durationMs / 1000) * 1000;
      lease.expiresAt = now + ms;
      lease.renewAt = now + ms / 3;
      this.leaseExpiry(lease.expiresAt);
    } else if (reply && reply.status >= 400 && reply.status < 500) {
      // Vault no longer knows the lease (revoked, or past its maximum TTL): lease new credentials on the next step.
      lease.expired = true;
      this.render();
    }
  }

  private render(): void {
    const lease = this.lease!;
    this.serial += 1;
    writeDbCredentials(this.config.credentialsFile, { username: lease.username, password: lease.password, leaseValid: !lease.expired, serial: this.serial });
    this.leaseExpiry(lease.expired ? 0 : lease.expiresAt);
  }

  /** One call to the region's store, counted; a node that does not answer (or answers 5xx) sends the next call elsewhere. */
  private async call<T>(call: Call, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown, withToken = true): Promise<VaultReply<T> | undefined> {
    const addr = this.config.vaultAddrs[this.addr % this.config.vaultAddrs.length]!;
    const reply = await vaultCall<T>(addr, method, path, { token: withToken ? this.token : undefined, body, timeoutMs: this.config.timeoutMs });
    const ok = reply.status >= 200 && reply.status < 300;
    this.observe(call, ok);
    if (reply.status === 0 || reply.status >= 500) this.addr += 1;
    return reply;
  }
}

function readSecret(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
