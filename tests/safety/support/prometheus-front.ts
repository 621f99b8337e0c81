import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { RevivableServer } from '../../assertions/support/revivable-server.ts';

/**
 * A simulator for what the real Prometheus will not do on request: answer its query API with errors. It stands in
 * front of the real one and passes every call through until told to fail; then it answers 503 with the API's own
 * error envelope, as Prometheus does while it cannot serve queries. Written from the Prometheus HTTP API docs, not
 * from faultline's client.
 */
export class PrometheusFront {
  failing = false;
  readonly #server: RevivableServer;

  constructor(
    readonly port: number,
    private readonly upstream: string,
  ) {
    this.#server = new RevivableServer(port, (req, res) => this.#handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    return this.#server.start();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#server.stop();
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.failing) {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'simulated: the query engine is unavailable' }));
      return;
    }
    const target = new URL(req.url ?? '/', this.upstream);
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  }
}
