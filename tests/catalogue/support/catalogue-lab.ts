import { labDown, labUp, type LabState } from '../../../lab/index.ts';
import { triRegionTgw, triRegionTgwLab } from '../../../targets/index.ts';

/** The catalogue tests' own tri-region lab, in their port range (21000-21099), apart from the default lab's. */
export const CATALOGUE_PORT_BASE = 21000;
export const CATALOGUE_RUN_DIR = '.faultline/lab-catalogue';

export async function catalogueLabUp(): Promise<LabState> {
  const up = await labUp({
    topology: triRegionTgw,
    binding: triRegionTgwLab,
    portBase: CATALOGUE_PORT_BASE,
    runDir: CATALOGUE_RUN_DIR,
    log: (line) => process.stdout.write(`[catalogue lab] ${line}\n`),
  });
  return up.state;
}

export async function catalogueLabDown(): Promise<void> {
  await labDown({ runDir: CATALOGUE_RUN_DIR });
}

const ingress = (lab: LabState, region: string) => lab.nginx.find((n) => n.region === region)!.url;

/** One write through a region's ingress: status, body and how long it took. */
export async function write(lab: LabState, region: string): Promise<{ status: number; body: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${ingress(lab, region)}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'catalogue test' }) });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - t0 };
}

/** Status code → count over `n` sequential writes. */
export async function writeStatuses(lab: LabState, region: string, n: number): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (let i = 0; i < n; i++) {
    const { status } = await write(lab, region);
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}
