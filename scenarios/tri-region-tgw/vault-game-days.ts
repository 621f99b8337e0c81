import { scenario, type Scenario } from '../../core/index.ts';
import { availabilityFloor, traffic } from './game-days.ts';

/*
 * Seed 003's Vault game days: the services read their database credentials through a Vault Agent-style sidecar that
 * holds a lease (30 s on the lab) and renews it. Jakarta's Vault is a 3-node raft group; Bandung and Surabaya each
 * run their own node (see README: what differs from the seed's performance replicas).
 */

/** Kill Jakarta's Vault leader: the raft group elects another, secret reads fail meanwhile, nobody's traffic does. */
export const vaultLeaderLoss: Scenario = scenario('vault-leader-loss', 'tri-region-tgw')
  .describe("Kill Jakarta's Vault leader under load: the raft group elects a new one within seconds, secret reads fail meanwhile, and every region keeps serving on its leases")
  .severity('critical')
  .load(traffic)
  // Short on purpose (CI time): the election takes seconds, and the killed node is back in 3 s.
  .timeline({ warmup: '5s', baseline: '15s', recovery: '15s' })
  .inject({ kind: 'secretStoreLoss', store: 'vault', region: 'jkt', scope: 'leader' }, { for: '15s' })
  .expect(
    { name: 'vault elects a new leader within 10 s', kind: 'rto', region: 'jkt', sli: 'leader', store: 'vault', from: 'faultStart', window: 'during', objective: '10s' },
    { name: 'jkt secret reads failed during the election', kind: 'secretReads', region: 'jkt', comparator: '>=', threshold: 1, window: 'during' },
    { name: 'jkt availability unaffected', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
    { name: 'bdg availability unaffected', kind: 'availability', region: 'bdg', window: 'during', objective: 0.99 },
    { name: 'sby availability unaffected', kind: 'availability', region: 'sby', window: 'during', objective: 0.99 },
    // Bandung's and Surabaya's agents read from their own region's Vault, which a Jakarta election does not touch.
    { name: 'control: bdg secret reads', kind: 'secretReads', region: 'bdg', comparator: '==', threshold: 0, window: 'during', informational: true },
  )
  .guardrail(availabilityFloor('jkt', 0.5))
  .build();

/**
 * Lose Bandung's Vault for longer than a lease: bdg serves on the lease its agent holds until it runs out, then its
 * database reads fail as designed (the agent cannot renew, the services stop using expired credentials), until
 * Vault is back and a new lease is issued.
 */
export const vaultRegionLossBdg: Scenario = scenario('vault-region-loss-bdg', 'tri-region-tgw')
  .describe("Lose Bandung's Vault for 45 s under load: bdg keeps serving on its cached 30 s database lease until it expires, then its reads fail as designed; it recovers once Vault is back")
  .severity('critical')
  .load(traffic)
  // The loss outlasts the lease (at most 30 s left when the fault starts) by 15 s: long enough to see bdg fail.
  .timeline({ warmup: '5s', baseline: '15s', recovery: '20s' })
  .inject({ kind: 'secretStoreLoss', store: 'vault', region: 'bdg' }, { for: '45s' })
  .expect(
    {
      name: 'bdg reads ride out the loss on the cached lease, then fail when it expires',
      kind: 'secretLease',
      region: 'bdg',
      route: 'read',
      objective: 0.99,
      failBelow: 0.9,
      within: '3s',
      window: 'during',
    },
    { name: 'bdg secret reads failed while its Vault was gone', kind: 'secretReads', region: 'bdg', comparator: '>=', threshold: 1, window: 'during' },
    { name: 'control: jkt availability', kind: 'availability', region: 'jkt', window: 'during', objective: 0.99 },
    { name: 'control: sby availability', kind: 'availability', region: 'sby', window: 'during', objective: 0.99 },
    { name: 'bdg recovers once Vault is back', kind: 'rto', region: 'bdg', sli: 'availability', threshold: 0.99, from: 'faultEnd', window: 'after', objective: '15s' },
  )
  .guardrail(availabilityFloor('jkt', 0.5))
  .build();

/** The Vault game days (`faultline run vault-leader-loss`; the gameday project runs them with the others). */
export const triRegionVaultGameDays: Scenario[] = [vaultLeaderLoss, vaultRegionLossBdg];
