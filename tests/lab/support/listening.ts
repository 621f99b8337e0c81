import { execFileSync } from 'node:child_process';

/** TCP ports in [from, to] that something listens on, as the kernel reports them (ss), not as the lab believes. */
export function listeningPorts(from: number, to: number): number[] {
  const out = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' });
  const ports = new Set<number>();
  for (const line of out.split('\n')) {
    const local = line.trim().split(/\s+/)[3];
    const port = Number(local?.slice(local.lastIndexOf(':') + 1));
    if (port >= from && port <= to) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}
