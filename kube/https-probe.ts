import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface TlsIdentity {
  ca: string;
  cert?: string;
  key?: string;
}

/**
 * GET over HTTPS trusting only our CA, optionally as a client certificate; resolves with status and body. Node's
 * fetch cannot take a CA per request, and health probes must not trust the whole system store.
 */
export function httpsGet(url: string, tls: TlsIdentity | 'insecure', timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  const options =
    tls === 'insecure'
      ? { rejectUnauthorized: false }
      : { ca: readFileSync(tls.ca), ...(tls.cert && tls.key ? { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } : {}) };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
