import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Journal, readRequestLines, type JournalEntry, type RequestEvent } from '../../../core/index.ts';
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

/** The requests that came back, from the stream the journal names. */
export function streamOf(entries: JournalEntry[]): RequestEvent[] {
  const stream = entries.find((e) => e.type === 'request-stream');
  if (!stream || stream.type !== 'request-stream') throw new Error('the journal names no request stream');
  return readRequestLines(stream.path).filter((l): l is RequestEvent => l.kind === 'end');
}
