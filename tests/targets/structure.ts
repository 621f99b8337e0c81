import type { KubernetesBinding } from '../../chaos/mesh/index.ts';
import type { Topology } from '../../core/index.ts';

/*
 * Structural checks a topology and its binding must pass. Written as functions returning every problem, so the
 * spec can show each check failing on a broken copy: a check that can never fail proves nothing.
 */

/** Names that are referenced but do not exist, duplicates, and shapes an active/passive system cannot have. */
export function topologyProblems(t: Topology): string[] {
  const problems: string[] = [];
  const regions = new Set(t.regions.map((r) => r.name));
  const needRegion = (where: string, region: string) => {
    if (!regions.has(region)) problems.push(`${where}: region "${region}" does not exist`);
  };
  for (const [what, names] of [
    ['region', t.regions.map((r) => r.name)],
    ['service', t.services.map((s) => s.name)],
    ['datastore', t.datastores.map((d) => d.name)],
    ['cache', t.caches.map((c) => c.name)],
    ['link', t.links.map((l) => l.name)],
  ] as const) {
    for (const name of names.filter((n, i) => names.indexOf(n) !== i)) problems.push(`${what} "${name}" is defined twice`);
  }
  const primaries = t.regions.filter((r) => r.role === 'primary');
  if (primaries.length !== 1) problems.push(`${primaries.length} primary regions, want exactly one`);
  for (const s of t.services) {
    if (!s.regions.length) problems.push(`service "${s.name}" runs nowhere`);
    for (const r of s.regions) needRegion(`service "${s.name}"`, r);
  }
  for (const d of t.datastores) {
    needRegion(`datastore "${d.name}" primary`, d.primaryRegion);
    for (const r of d.replicas) {
      needRegion(`datastore "${d.name}" replica`, r.region);
      if (r.region === d.primaryRegion) problems.push(`datastore "${d.name}" replicates into its own primary region`);
    }
  }
  for (const c of t.caches) for (const r of c.regions) needRegion(`cache "${c.name}"`, r);
  for (const l of t.links) {
    for (const r of l.between) needRegion(`link "${l.name}"`, r);
    if (l.between[0] === l.between[1]) problems.push(`link "${l.name}" joins "${l.between[0]}" to itself`);
  }
  // Every copy of a store crosses regions, so every replica region must be reachable from the primary by a link.
  for (const d of t.datastores) {
    for (const r of d.replicas) {
      if (!t.links.some((l) => l.between.includes(d.primaryRegion) && l.between.includes(r.region))) {
        problems.push(`datastore "${d.name}" replicates ${d.primaryRegion}→${r.region}, but no link joins them`);
      }
    }
  }
  return problems;
}

/** Problems of an active/passive system: a standby region must hold a copy of every service and every store. */
export function standbyProblems(t: Topology): string[] {
  const problems: string[] = [];
  for (const standby of t.regions.filter((r) => r.role === 'secondary')) {
    for (const s of t.services.filter((s) => !s.regions.includes(standby.name))) problems.push(`service "${s.name}" has no standby in "${standby.name}"`);
    for (const d of t.datastores.filter((d) => !d.replicas.some((r) => r.region === standby.name))) problems.push(`datastore "${d.name}" has no copy in "${standby.name}"`);
  }
  return problems;
}

/** Gaps between a binding and its topology, selectors outside the blast radius, and overlapping VPC CIDRs. */
export function bindingProblems(b: KubernetesBinding, t: Topology): string[] {
  const problems: string[] = [];
  const allowed = (where: string, ns: string) => {
    if (!b.allowedNamespaces.includes(ns)) problems.push(`${where}: namespace "${ns}" is outside the allowlist`);
  };
  if (b.topology !== t.name) problems.push(`binding is for "${b.topology}", not "${t.name}"`);
  const bound = Object.keys(b.regions);
  for (const r of t.regions) if (!bound.includes(r.name)) problems.push(`region "${r.name}" has no cluster`);
  for (const r of bound) if (!t.regions.some((x) => x.name === r)) problems.push(`cluster for unknown region "${r}"`);
  for (const [region, c] of Object.entries(b.regions)) {
    if (!c.vpcCidrs.length) problems.push(`${region}: no VPC CIDR`);
    for (const cidr of c.vpcCidrs) if (!parseCidr(cidr)) problems.push(`${region}: "${cidr}" is not an IPv4 CIDR`);
    if (!c.network.namespaces.length) problems.push(`${region}: network scope has no namespace`);
    for (const ns of c.network.namespaces) allowed(`${region} network`, ns);
    for (const s of t.services.filter((s) => s.regions.includes(region))) {
      const w = c.services[s.name];
      if (!w) problems.push(`${region}: service "${s.name}" has no selector`);
      else {
        allowed(`${region} service "${s.name}"`, w.namespace);
        if (!Object.keys(w.labels).length) problems.push(`${region}: service "${s.name}" selects every pod of its namespace`);
      }
    }
    for (const name of Object.keys(c.services)) {
      if (!t.services.some((s) => s.name === name && s.regions.includes(region))) problems.push(`${region}: selector for "${name}", which does not run there`);
    }
    if (c.cache) {
      allowed(`${region} cache`, c.cache.namespace);
      if (!t.caches.some((x) => x.regions.includes(region))) problems.push(`${region}: cache selector, but the topology has no cache there`);
    }
    for (const [store, pods] of Object.entries(c.databases ?? {})) {
      const d = t.datastores.find((x) => x.name === store);
      if (!d) {
        problems.push(`${region}: database selector for unknown datastore "${store}"`);
        continue;
      }
      if (pods.primary && d.primaryRegion !== region) problems.push(`${region}: "${store}" primary selector, but its primary is in "${d.primaryRegion}"`);
      if (pods.replica && !d.replicas.some((r) => r.region === region)) problems.push(`${region}: "${store}" replica selector, but it has no copy there`);
      for (const w of [pods.primary, pods.replica]) if (w) allowed(`${region} datastore "${store}"`, w.namespace);
    }
  }
  const cidrs = Object.entries(b.regions).flatMap(([region, c]) => c.vpcCidrs.map((cidr) => ({ region, cidr, range: parseCidr(cidr) })));
  for (const [i, x] of cidrs.entries()) {
    for (const y of cidrs.slice(i + 1)) {
      if (x.range && y.range && x.region !== y.region && overlaps(x.range, y.range)) {
        problems.push(`${x.region} ${x.cidr} overlaps ${y.region} ${y.cidr}: the link between them could not route`);
      }
    }
  }
  return problems;
}

type Range = { first: number; last: number };

function parseCidr(cidr: string): Range | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const ip = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  if (ip % size !== 0) return undefined; // host bits set: almost always a typo
  return { first: ip, last: ip + size - 1 };
}

function overlaps(a: Range, b: Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}
