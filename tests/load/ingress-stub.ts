import { createServer, type Server } from 'node:http';

/** One request as the stub ingress received it. */
export interface ReceivedRequest {
  region: string;
  method: string;
  path: string;
  body: string;
  status: number;
}

/** Decides the answer for one request; may wait first to play a slow service. */
export type StubBehaviour = (req: { region: string; method: string; path: string }) => { status: number; delayMs?: number };

/**
 * A tiny HTTP server per "region" on 127.0.0.1, standing in for an ingress, that records every request it answers.
 * Counting on the receiving side is what lets the tests check k6's own figures.
 */
export class IngressStub {
  readonly received: ReceivedRequest[] = [];
  private readonly servers: Server[] = [];

  private constructor(readonly urls: Record<string, string>) {}

  static async start(ports: Record<string, number>, behaviour: StubBehaviour = okBehaviour): Promise<IngressStub> {
    const stub = new IngressStub(Object.fromEntries(Object.entries(ports).map(([r, p]) => [r, `http://127.0.0.1:${p}`])));
    for (const [region, port] of Object.entries(ports)) {
      const server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          const method = req.method ?? '';
          const path = req.url ?? '';
          const answer = behaviour({ region, method, path });
          setTimeout(() => {
            stub.received.push({ region, method, path, body, status: answer.status });
            res.writeHead(answer.status, { 'content-type': 'application/json' }).end('{}');
          }, answer.delayMs ?? 0);
        });
      });
      await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(port, '127.0.0.1', ok);
      });
      stub.servers.push(server);
    }
    return stub;
  }

  count(region: string, filter: (r: ReceivedRequest) => boolean = () => true): number {
    return this.received.filter((r) => r.region === region && filter(r)).length;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map((s) => new Promise<void>((ok) => {
        s.closeAllConnections();
        s.close(() => ok());
      })),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** Writes succeed; reads of ids above 500 were never written, so they answer 404 (a correct answer, not a failure). */
export const okBehaviour: StubBehaviour = ({ method, path }) => {
  if (method === 'POST') return { status: 201 };
  return { status: Number(path.split('/').at(-1)) > 500 ? 404 : 200 };
};
