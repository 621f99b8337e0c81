import { promises as dns } from 'node:dns';

/**
 * Resolves the names of other regions' services through this region's resolver (the lab's dnsmasq), at every call,
 * like a client that honours a TTL of 0: a DNS fault shows on the next request, not after a connection pool recycles.
 * Without a resolver configured, URLs are used as they are.
 */
export class LabResolver {
  private readonly resolver?: dns.Resolver;

  constructor(server: string | undefined, timeoutMs: number) {
    if (!server) return;
    this.resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
    this.resolver.setServers([server]);
  }

  /** The URL with its host name replaced by the address the resolver gives now; throws when resolution fails. */
  async resolveUrl(url: string): Promise<string> {
    const parsed = new URL(url);
    if (!this.resolver || /^[\d.]+$/.test(parsed.hostname)) return url;
    let addresses: string[];
    try {
      addresses = await this.resolver.resolve4(parsed.hostname);
    } catch (e) {
      throw new Error(`DNS lookup of ${parsed.hostname} failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    parsed.hostname = addresses[0]!;
    return parsed.toString().replace(/\/$/, '');
  }
}
