import { expect, test } from '@playwright/test';
import type { KubernetesBinding } from '../../chaos/mesh/index.ts';
import type { Topology } from '../../core/index.ts';
import { GARAGE_CLUSTERS } from '../../targets/garage/index.ts';
import { SEED_SYSTEMS } from './seed-topologies.ts';
import { bindingProblems, standbyProblems, topologyProblems } from './structure.ts';

const garage = SEED_SYSTEMS.filter((s) => s.topology.name.startsWith('garage-'));

test.describe('seed topologies are well formed', () => {
  for (const { seed, topology, binding } of SEED_SYSTEMS) {
    test(`seed ${seed} (${topology.name}): every name it refers to exists and every copy crosses a link`, () => {
      expect(topologyProblems(topology)).toEqual([]);
    });

    test(`seed ${seed} (${topology.name}): active/passive, the secondary holds a standby of every service and a copy of every store`, () => {
      expect(topology.regions.map((r) => r.role).sort()).toEqual(['primary', 'secondary']);
      expect(topology.services.every((s) => s.role === 'main')).toBe(true);
      expect(standbyProblems(topology)).toEqual([]);
    });

    test(`seed ${seed} (${topology.name}): the Kubernetes binding covers every region and service, inside its allowlist, on disjoint CIDRs`, () => {
      expect(bindingProblems(binding, topology)).toEqual([]);
    });
  }

  test('the three garage slices share the platform’s two clusters but can never touch each other’s namespaces', () => {
    for (const { binding } of garage) {
      expect(Object.fromEntries(Object.entries(binding.regions).map(([r, c]) => [r, { context: c.context, vpcCidrs: c.vpcCidrs }]))).toEqual(GARAGE_CLUSTERS);
    }
    const allowlists = garage.map((s) => s.binding.allowedNamespaces);
    const all = allowlists.flat();
    expect(new Set(all).size).toBe(all.length);
  });

  test('replication modes follow the seeds: CDC ledgers, mirrored streams and queues, async replicas elsewhere', () => {
    const modes = (t: Topology) => Object.fromEntries(t.datastores.map((d) => [d.name, d.replicas.map((r) => r.mode).join()]));
    const [platform, workshop, inventory, mesh] = SEED_SYSTEMS.map((s) => modes(s.topology));
    expect(platform).toMatchObject({ 'booking-ledger': 'cdc', 'tenant-registry': 'async', 'event-bus': 'mirror', 'audit-ledger': 'mirror', 'document-storage': 'mirror' });
    expect(workshop).toMatchObject({ 'job-card-store': 'async', 'billing-queue': 'mirror', 'customer-notification-queue': 'mirror', 'workshop-audit-stream': 'mirror' });
    expect(inventory).toMatchObject({ 'reservation-ledger': 'cdc', 'replenishment-queue': 'mirror', 'garage-inventory-db': 'async' });
    expect(mesh).toEqual({ aurora: 'cdc', dynamodb: 'cdc', msk: 'mirror' });
    expect(SEED_SYSTEMS.find((s) => s.seed === '004')!.topology.links).toEqual([{ name: 'tgw-interconnect', kind: 'interconnect', between: ['aws-primary', 'gcp-dr'] }]);
  });
});

test.describe('the structural checks catch what they claim to', () => {
  const base = SEED_SYSTEMS[0]!.topology;
  const baseBinding = SEED_SYSTEMS[0]!.binding;
  const broken = (change: (t: Topology) => void): Topology => {
    const t = structuredClone(base);
    change(t);
    return t;
  };
  const brokenBinding = (change: (b: KubernetesBinding) => void): KubernetesBinding => {
    const b = structuredClone(baseBinding);
    change(b);
    return b;
  };

  test('a link, replica, service or cache in a region that does not exist', () => {
    expect(topologyProblems(broken((t) => (t.links[0]!.between = ['primary', 'tertiary'])))).toContain('link "tgw-primary-secondary": region "tertiary" does not exist');
    expect(topologyProblems(broken((t) => (t.datastores[0]!.replicas[0]!.region = 'dr')))).toContain('datastore "tenant-registry" replica: region "dr" does not exist');
    expect(topologyProblems(broken((t) => t.services[1]!.regions.push('eu')))).toContain('service "garage-onboarding": region "eu" does not exist');
    expect(topologyProblems(broken((t) => t.caches.push({ name: 'redis', engine: 'redis', regions: ['nowhere'] })))).toContain('cache "redis": region "nowhere" does not exist');
  });

  test('a replica with no link to its primary, a store replicating into itself, two primaries, duplicates', () => {
    expect(topologyProblems(broken((t) => (t.links = [])))).toContain('datastore "booking-ledger" replicates primary→secondary, but no link joins them');
    expect(topologyProblems(broken((t) => (t.datastores[2]!.replicas[0]!.region = 'primary')))).toContain('datastore "booking-ledger" replicates into its own primary region');
    expect(topologyProblems(broken((t) => (t.regions[1]!.role = 'primary')))).toContain('2 primary regions, want exactly one');
    expect(topologyProblems(broken((t) => t.services.push({ ...t.services[0]! })))).toContain('service "auth-proxy" is defined twice');
  });

  test('a standby missing a service or a store copy', () => {
    expect(standbyProblems(broken((t) => (t.services[3]!.regions = ['primary'])))).toEqual(['service "booking-orchestrator" has no standby in "secondary"']);
    expect(standbyProblems(broken((t) => (t.datastores[0]!.replicas = [])))).toEqual(['datastore "tenant-registry" has no copy in "secondary"']);
  });

  test('a binding with a missing service, a selector outside the allowlist, a stray store, or overlapping CIDRs', () => {
    expect(bindingProblems(brokenBinding((b) => delete b.regions.secondary!.services['billing']), base)).toEqual(['secondary: service "billing" has no selector']);
    expect(bindingProblems(brokenBinding((b) => (b.regions.primary!.services['billing']!.namespace = 'kube-system')), base)).toEqual([
      'primary service "billing": namespace "kube-system" is outside the allowlist',
    ]);
    expect(bindingProblems(brokenBinding((b) => (b.regions.secondary!.databases!['booking-ledger'] = { primary: { namespace: 'garage-platform-data', labels: { x: 'y' } } })), base)).toEqual([
      'secondary: "booking-ledger" primary selector, but its primary is in "primary"',
    ]);
    expect(bindingProblems(brokenBinding((b) => (b.regions.secondary!.vpcCidrs = ['10.20.128.0/17'])), base)).toEqual([
      'primary 10.20.0.0/16 overlaps secondary 10.20.128.0/17: the link between them could not route',
    ]);
    expect(bindingProblems(brokenBinding((b) => (b.regions.secondary!.vpcCidrs = ['10.30.0.1/16'])), base)).toEqual(['secondary: "10.30.0.1/16" is not an IPv4 CIDR']);
    expect(bindingProblems(brokenBinding((b) => delete b.regions.secondary), base)).toEqual(['region "secondary" has no cluster']);
  });
});
