import type { Topology } from './topology.ts';

/** A structural mistake in a topology (or binding), with the path of the field it is about, for file positions. */
export interface StructureProblem {
  /** e.g. `['links', 0, 'between', 1]`. */
  path: (string | number)[];
  message: string;
}

/**
 * Names that are referenced but do not exist, duplicates, and shapes no system can have: a link or a replica in a
 * region that does not exist, two primaries, a replica with no link to its primary. Returns every problem, so one
 * pass fixes them all; TypeScript topologies (tests) and topology files (the loader) are checked by this one function.
 */
export function topologyProblems(t: Topology): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const regions = new Set(t.regions.map((r) => r.name));
  const needRegion = (path: (string | number)[], where: string, region: string) => {
    if (!regions.has(region)) problems.push({ path, message: `${where}: region "${region}" does not exist` });
  };
  for (const [what, key, names] of [
    ['region', 'regions', t.regions.map((r) => r.name)],
    ['service', 'services', t.services.map((s) => s.name)],
    ['datastore', 'datastores', t.datastores.map((d) => d.name)],
    ['cache', 'caches', t.caches.map((c) => c.name)],
    ['link', 'links', t.links.map((l) => l.name)],
  ] as const) {
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) problems.push({ path: [key, i, 'name'], message: `${what} "${name}" is defined twice` });
    });
  }
  const primaries = t.regions.filter((r) => r.role === 'primary');
  if (primaries.length !== 1) problems.push({ path: ['regions'], message: `${primaries.length} primary regions, want exactly one` });
  t.services.forEach((s, i) => {
    if (!s.regions.length) problems.push({ path: ['services', i, 'regions'], message: `service "${s.name}" runs nowhere` });
    s.regions.forEach((r, j) => needRegion(['services', i, 'regions', j], `service "${s.name}"`, r));
  });
  t.datastores.forEach((d, i) => {
    needRegion(['datastores', i, 'primaryRegion'], `datastore "${d.name}" primary`, d.primaryRegion);
    d.replicas.forEach((r, j) => {
      needRegion(['datastores', i, 'replicas', j, 'region'], `datastore "${d.name}" replica`, r.region);
      if (r.region === d.primaryRegion) problems.push({ path: ['datastores', i, 'replicas', j, 'region'], message: `datastore "${d.name}" replicates into its own primary region` });
    });
  });
  t.caches.forEach((c, i) => c.regions.forEach((r, j) => needRegion(['caches', i, 'regions', j], `cache "${c.name}"`, r)));
  t.links.forEach((l, i) => {
    l.between.forEach((r, j) => needRegion(['links', i, 'between', j], `link "${l.name}"`, r));
    if (l.between[0] === l.between[1]) problems.push({ path: ['links', i, 'between'], message: `link "${l.name}" joins "${l.between[0]}" to itself` });
  });
  // Every copy of a store crosses regions, so every replica region must be reachable from the primary by a link.
  t.datastores.forEach((d, i) => {
    d.replicas.forEach((r, j) => {
      if (!regions.has(r.region) || !regions.has(d.primaryRegion) || r.region === d.primaryRegion) return;
      if (!t.links.some((l) => l.between.includes(d.primaryRegion) && l.between.includes(r.region))) {
        problems.push({ path: ['datastores', i, 'replicas', j], message: `datastore "${d.name}" replicates ${d.primaryRegion}→${r.region}, but no link joins them` });
      }
    });
  });
  return problems;
}
