import { createServer } from 'node:net';
import { FaultlineError } from '../../core/index.ts';

/** True when nothing holds 127.0.0.1:port (listening on it ourselves is the only reliable test). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface PortClaim {
  port: number;
  /** Who will listen there, for the error message. */
  component: string;
}

/** Refuses to start anything if any port the lab needs is taken, naming the first one found. */
export async function assertPortsFree(claims: PortClaim[], portBase: number): Promise<void> {
  for (const claim of claims) {
    if (await isPortFree(claim.port)) continue;
    throw new FaultlineError(
      'FAULTLINE_PORT_IN_USE',
      `port ${claim.port} (for ${claim.component}) is already in use on 127.0.0.1; nothing was started`,
      `stop what holds it (ss -ltnp 'sport = :${claim.port}'), or move the lab elsewhere: --port-base ${portBase + 1000}` +
        ' (a lab that is already running here: faultline lab status)',
    );
  }
}
