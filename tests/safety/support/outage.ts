import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Journal, type JournalEntry } from '../../../core/index.ts';
import type { LabState } from '../../../lab/index.ts';
import { withDescendants } from '../../../lab/process/index.ts';

/**
 * A real regional outage: the region's NGINX ingress, master and workers, frozen with SIGSTOP. It still accepts
 * connections (the kernel does) and never answers, the way a hung load balancer looks to a client.
 */
export function freezeIngress(lab: LabState, region: string): { pids: number[]; thaw(): void } {
  const nginx = lab.nginx.find((n) => n.region === region);
  if (!nginx) throw new Error(`no ingress in ${region}`);
  const pids = withDescendants([nginx.pid]);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return {
    pids,
    thaw: () => {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // gone
        }
      }
    },
  };
}

/** The one journal a CLI run wrote into its session folder. */
export function sessionJournal(session: string): JournalEntry[] {
  const dir = join(session, 'journals');
  const [file] = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  if (!file) throw new Error(`no journal in ${dir}`);
  return Journal.read(join(dir, file));
}
