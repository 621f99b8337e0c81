import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLES = join(ROOT, 'docs', 'examples');

/** Every file under a folder with one of the extensions, sorted, as absolute paths. */
export function filesUnder(dir: string, ...extensions: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (extensions.some((x) => e.name.endsWith(x))) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

export const exampleExperiments = () => filesUnder(join(EXAMPLES, 'experiments'), '.yaml', '.yml', '.json');
export const exampleTopologies = () => filesUnder(join(EXAMPLES, 'topologies'), '.yaml', '.yml', '.json');
export const rel = (file: string) => relative(ROOT, file);

/** The model as data: what a Scenario or TopologyTargets is once undefined fields are gone. */
export const asData = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
