import type { RevertAction } from '../../core/index.ts';

/** toxiproxy's HTTP API, only the two calls faults need. */
export interface Toxic {
  name: string;
  type: 'timeout' | 'latency';
  stream: 'upstream' | 'downstream';
  attributes: Record<string, number>;
}

export async function addToxic(apiUrl: string, proxy: string, toxic: Toxic): Promise<void> {
  const res = await fetch(`${apiUrl}/proxies/${encodeURIComponent(proxy)}/toxics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...toxic, toxicity: 1 }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`toxiproxy refused toxic ${toxic.name} on ${proxy}: ${res.status} ${await res.text()}`);
}

/** Removing an absent toxic answers 404, which counts as done: reverts must be idempotent. */
export function removeToxicAction(apiUrl: string, proxy: string, toxic: string): RevertAction {
  return {
    type: 'http',
    method: 'DELETE',
    url: `${apiUrl}/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`,
    okStatuses: [404],
  };
}
