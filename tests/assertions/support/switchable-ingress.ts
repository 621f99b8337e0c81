import { RevivableServer } from './revivable-server.ts';

/** How one region's ingress answers right now. */
export interface IngressMode {
  /** Share (0..1) of requests answered 500. Default 0. */
  failShare?: number;
  /** Delay before a failed answer. Default 0. */
  failDelayMs?: number;
}

/**
 * A stand-in ingress for one region that the test switches between healthy, failing (a share of 500s, optionally
 * slow) and dead (listener closed: connection refused, as when an ingress process is gone).
 * Failures are spread deterministically (every n-th request), so the failed share is what was asked for.
 */
export class SwitchableIngress {
  #mode: IngressMode = {};
  readonly #server: RevivableServer;
  #seen = 0;
  #failed = 0;

  private constructor(readonly port: number) {
    this.#server = new RevivableServer(port, (req, res) => {
      req.resume();
      req.on('end', () => {
        this.#seen++;
        const share = this.#mode.failShare ?? 0;
        // Fail whenever the failed count falls behind the asked-for share: exact over any stretch of requests.
        if (this.#failed < share * this.#seen) {
          this.#failed++;
          setTimeout(() => res.writeHead(500).end('{}'), this.#mode.failDelayMs ?? 0);
          return;
        }
        const status = req.method === 'POST' ? 201 : 200;
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"id":1}');
      });
    });
  }

  static async start(port: number): Promise<SwitchableIngress> {
    const ingress = new SwitchableIngress(port);
    await ingress.revive();
    return ingress;
  }

  /** Switches behaviour; the failure spread restarts, so the new share holds from the next request on. */
  setMode(mode: IngressMode): void {
    this.#mode = mode;
    this.#seen = 0;
    this.#failed = 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  revive(): Promise<void> {
    return this.#server.start();
  }

  kill(): Promise<void> {
    return this.#server.stop();
  }
}
