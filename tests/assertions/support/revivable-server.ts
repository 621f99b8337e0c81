import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * An HTTP server on 127.0.0.1 that can die and come back on the same port. stop() also drops open keep-alive
 * connections, so clients see what they see when a process dies: connection refused.
 */
export class RevivableServer {
  #server: Server | undefined;

  constructor(
    readonly port: number,
    private readonly handler: RequestListener,
  ) {}

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer(this.handler);
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(this.port, '127.0.0.1', ok);
    });
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    await new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
  }
}
