import type { LabState } from '../../lab/index.ts';

/** Every toxic on every toxiproxy link of the lab, as `proxy/toxic`. */
export async function activeToxics(lab: LabState): Promise<string[]> {
  const res = await fetch(`${lab.toxiproxy.apiUrl}/proxies`);
  const proxies = (await res.json()) as Record<string, { toxics: { name: string }[] }>;
  return Object.entries(proxies).flatMap(([name, p]) => p.toxics.map((t) => `${name}/${t.name}`));
}

/** Single-letter process state from /proc: R, S, T (stopped), Z… */
export { procState as processState } from '../../lab/process/index.ts';
