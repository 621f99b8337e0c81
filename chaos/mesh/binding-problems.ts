import type { StructureProblem, Topology } from '../../core/index.ts';
import type { KubernetesBinding } from './kubernetes-binding.ts';

/**
 * Gaps between a binding and its topology, selectors outside the blast radius, CIDRs that do not parse and VPC CIDRs
 * that overlap. Static: nothing here asks a cluster (preflight does that). Used by the tests of the TypeScript
 * bindings and by the topology-file loader, each problem with the path of its field.
 */
export function bindingProblems(b: KubernetesBinding, t: Topology): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const allowed = (path: (string | number)[], where: string, ns: string) => {
    if (!b.allowedNamespaces.includes(ns)) add(path, `${where}: namespace "${ns}" is outside the allowlist`);
  };
  if (b.topology !== t.name) add(['topology'], `binding is for "${b.topology}", not "${t.name}"`);
  const bound = Object.keys(b.regions);
  for (const r of t.regions) if (!bound.includes(r.name)) add(['regions'], `region "${r.name}" has no cluster`);
  for (const r of bound) if (!t.regions.some((x) => x.name === r)) add(['regions', r], `cluster for unknown region "${r}"`);
  for (const [region, c] of Object.entries(b.regions)) {
    const at = (...rest: (string | number)[]) => ['regions', region, ...rest];
    if (!c.vpcCidrs.length) add(at('vpcCidrs'), `${region}: no VPC CIDR`);
    c.vpcCidrs.forEach((cidr, i) => {
      if (!parseCidr(cidr)) add(at('vpcCidrs', i), `${region}: "${cidr}" is not an IPv4 CIDR`);
    });
    if (!c.network.namespaces.length) add(at('network', 'namespaces'), `${region}: network scope has no namespace`);
    c.network.namespaces.forEach((ns, i) => allowed(at('network', 'namespaces', i), `${region} network`, ns));
    for (const s of t.services.filter((s) => s.regions.includes(region))) {
      const w = c.services[s.name];
      if (!w) add(at('services'), `${region}: service "${s.name}" has no selector`);
      else {
        allowed(at('services', s.name, 'namespace'), `${region} service "${s.name}"`, w.namespace);
        if (!Object.keys(w.labels).length) add(at('services', s.name, 'labels'), `${region}: service "${s.name}" selects every pod of its namespace`);
      }
    }
    for (const name of Object.keys(c.services)) {
      if (!t.services.some((s) => s.name === name && s.regions.includes(region))) add(at('services', name), `${region}: selector for "${name}", which does not run there`);
    }
    if (c.cache) {
      allowed(at('cache', 'namespace'), `${region} cache`, c.cache.namespace);
      if (!t.caches.some((x) => x.regions.includes(region))) add(at('cache'), `${region}: cache selector, but the topology has no cache there`);
    }
    for (const [store, pods] of Object.entries(c.databases ?? {})) {
      const d = t.datastores.find((x) => x.name === store);
      if (!d) {
        add(at('databases', store), `${region}: database selector for unknown datastore "${store}"`);
        continue;
      }
      if (pods.primary && d.primaryRegion !== region) add(at('databases', store, 'primary'), `${region}: "${store}" primary selector, but its primary is in "${d.primaryRegion}"`);
      if (pods.replica && !d.replicas.some((r) => r.region === region)) add(at('databases', store, 'replica'), `${region}: "${store}" replica selector, but it has no copy there`);
      for (const role of ['primary', 'replica'] as const) {
        const w = pods[role];
        if (w) allowed(at('databases', store, role, 'namespace'), `${region} datastore "${store}"`, w.namespace);
      }
    }
  }
  for (const [region, c] of Object.entries(b.regions)) {
    for (const [store, pods] of Object.entries(c.secretStores ?? {})) {
      const at = ['regions', region, 'secretStores', store];
      const s = t.secretStores?.find((x) => x.name === store);
      if (!s) add(at, `${region}: secret store selector for unknown store "${store}"`);
      else if (!s.nodes.some((n) => n.region === region && n.count > 0)) add(at, `${region}: "${store}" selector, but the store has no node there`);
      allowed([...at, 'namespace'], `${region} secret store "${store}"`, pods.namespace);
      if (pods.leaderLabels && s && s.primaryRegion !== region) add([...at, 'leaderLabels'], `${region}: "${store}" leader labels, but its leader is elected in "${s.primaryRegion}"`);
    }
  }
  const cidrs = Object.entries(b.regions).flatMap(([region, c]) => c.vpcCidrs.map((cidr, i) => ({ region, i, cidr, range: parseCidr(cidr) })));
  for (const [i, x] of cidrs.entries()) {
    for (const y of cidrs.slice(i + 1)) {
      if (x.range && y.range && x.region !== y.region && overlaps(x.range, y.range)) {
        add(['regions', y.region, 'vpcCidrs', y.i], `${x.region} ${x.cidr} overlaps ${y.region} ${y.cidr}: the link between them could not route`);
      }
    }
  }
  return problems;
}

type Range = { first: number; last: number };

/** An IPv4 CIDR as a numeric range; undefined when it does not parse or has host bits set (almost always a typo). */
export function parseCidr(cidr: string): Range | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const ip = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  if (ip % size !== 0) return undefined;
  return { first: ip, last: ip + size - 1 };
}

function overlaps(a: Range, b: Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}
