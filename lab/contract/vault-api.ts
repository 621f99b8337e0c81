/**
 * The few calls the lab makes to Vault's HTTP API, shared by lab up (init, join, configuration), the supervisor
 * (unsealing a restarted node), the secret agents and the lab fault driver (which node leads). Plain fetch: the lab
 * talks to Vault over loopback without TLS.
 */

export interface VaultReply<T = Record<string, unknown>> {
  status: number;
  body: T | undefined;
}

/** One API call; a network error or a timeout is status 0, never a throw. */
export async function vaultCall<T = Record<string, unknown>>(
  addr: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'LIST',
  path: string,
  options: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<VaultReply<T>> {
  try {
    const res = await fetch(`${addr}/v1/${path}`, {
      method,
      headers: { ...(options.token ? { 'x-vault-token': options.token } : {}), ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
    });
    const text = await res.text();
    let body: T | undefined;
    try {
      body = text ? (JSON.parse(text) as T) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** What sys/health says a node is: its status codes are documented and stable across Vault versions. */
export type VaultNodeHealth = 'active' | 'standby' | 'sealed' | 'uninitialized' | 'down';

export async function vaultHealth(addr: string, timeoutMs = 1_000): Promise<VaultNodeHealth> {
  const { status } = await vaultCall(addr, 'GET', 'sys/health', { timeoutMs });
  switch (status) {
    case 200:
      return 'active';
    case 429:
    case 473:
      return 'standby';
    case 501:
      return 'uninitialized';
    case 503:
      return 'sealed';
    default:
      return 'down';
  }
}

/** The errors Vault gives with a failed call, joined for a log or an error message (never the request body). */
export function vaultErrors(reply: VaultReply<unknown>): string {
  const errors = (reply.body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) && errors.length ? errors.map(String).join('; ') : reply.status === 0 ? 'no answer' : `HTTP ${reply.status}`;
}
