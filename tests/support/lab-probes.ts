import { readFileSync } from 'node:fs';
import type { LabState } from '../../core/index.ts';

/** Every toxic on every toxiproxy link of the lab, as `proxy/toxic`. */
export async function activeToxics(lab: LabState): Promise<string[]> {
  const res = await fetch(`${lab.toxiproxy.apiUrl}/proxies`);
  const proxies = (await res.json()) as Record<string, { toxics: { name: string }[] }>;
  return Object.entries(proxies).flatMap(([name, p]) => p.toxics.map((t) => `${name}/${t.name}`));
}

/** Single-letter process state from /proc: R, S, T (stopped), Z… */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}
