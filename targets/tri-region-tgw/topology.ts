import type { Topology } from '../../core/index.ts';

/**
 * Seed 003: Jakarta primary with Bandung and Surabaya regional, joined by transit-gateway peering.
 * Jakarta holds the primary database; the others hold async read replicas and send writes to Jakarta's API.
 * Each region has its own cache and an NGINX ingress failing over from service-main to service-backup.
 */
export const triRegionTgw: Topology = {
  name: 'tri-region-tgw',
  description: 'Jakarta primary, Bandung and Surabaya regional; TGW peering mesh; async cross-region read replicas',
  regions: [
    { name: 'jkt', role: 'primary', description: 'Jakarta: primary database, takes all writes' },
    { name: 'bdg', role: 'regional', description: 'Bandung: local async read replica, writes via Jakarta API' },
    { name: 'sby', role: 'regional', description: 'Surabaya: local async read replica, writes via Jakarta API' },
  ],
  services: [
    { name: 'service-main', role: 'main', regions: ['jkt', 'bdg', 'sby'] },
    { name: 'service-backup', role: 'backup', regions: ['jkt', 'bdg', 'sby'] },
  ],
  datastores: [
    {
      name: 'rds',
      engine: 'postgres',
      primaryRegion: 'jkt',
      replicas: [
        { region: 'bdg', mode: 'async' },
        { region: 'sby', mode: 'async' },
      ],
    },
  ],
  caches: [{ name: 'redis', engine: 'redis', regions: ['jkt', 'bdg', 'sby'] }],
  links: [
    { name: 'tgw-jkt-bdg', kind: 'tgw-peering', between: ['jkt', 'bdg'] },
    { name: 'tgw-jkt-sby', kind: 'tgw-peering', between: ['jkt', 'sby'] },
    { name: 'tgw-bdg-sby', kind: 'tgw-peering', between: ['bdg', 'sby'] },
  ],
  // "Write via API": the regional services send their writes to Jakarta's service-main.
  routes: [
    { from: 'bdg', service: 'service-main', region: 'jkt', method: 'POST', path: '/items' },
    { from: 'sby', service: 'service-main', region: 'jkt', method: 'POST', path: '/items' },
  ],
  // Vault: a 3-node raft group in Jakarta; the seed's Bandung and Surabaya performance replicas (two nodes each) are
  // one node per region here. Every service reads its database credentials through a Vault Agent beside it.
  secretStores: [
    {
      name: 'vault',
      engine: 'vault',
      primaryRegion: 'jkt',
      nodes: [
        { region: 'jkt', count: 3 },
        { region: 'bdg', count: 1 },
        { region: 'sby', count: 1 },
      ],
    },
  ],
};
