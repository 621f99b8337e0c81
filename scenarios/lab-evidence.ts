import type { RunEvidence } from '../assertions/index.ts';
import { FaultlineError } from '../core/index.ts';
import type { LabState } from '../lab/index.ts';

/** Read-backs go in batches, so one lookup stays a small request however long the run. */
const BATCH = 5_000;

/**
 * A lab run's evidence: the surviving primary's stores, read back through the users' entry point (after a failover
 * it leads to the promoted region) with the service's batch lookup.
 */
export function labEvidence(state: LabState): RunEvidence {
  const entry = state.activePassive?.globalEntry.url ?? state.nginx.find((n) => state.postgres.some((p) => p.role === 'primary' && p.region === n.region))?.url;
  return {
    async readBack(store, ids) {
      if (!entry) throw new FaultlineError('FAULTLINE_HARNESS', 'the lab has no entry point to read writes back through');
      const stores = state.activePassive?.stores ?? [];
      const name = store ?? stores.find((s) => s.mode === 'async')?.name ?? state.postgres.find((p) => p.role === 'primary')?.store ?? 'the primary database';
      const mode = stores.find((s) => s.name === name)?.mode;
      if (store !== undefined && stores.length > 0 && !mode) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `store "${store}" does not run in this lab`, `it runs: ${stores.map((s) => s.name).join(', ')}`);
      }
      const lookup = mode === 'cdc' ? 'ledger' : mode === 'mirror' ? 'events' : 'items';
      const counts: Record<string, number> = {};
      for (let i = 0; i < ids.length; i += BATCH) {
        const res = await fetch(`${entry}/writes/lookup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ids: ids.slice(i, i + BATCH), store: lookup }),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        let body: { counts?: Record<string, number>; error?: string; region?: string };
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          // An ingress's own error page (a 504 when the lookup outlasted its timeout) rather than the service's answer.
          throw new Error(`the surviving primary's ${name} lookup answered ${res.status} with no JSON: ${text.trim().split('\n')[0]!.slice(0, 120)}`);
        }
        if (!res.ok || !body.counts) throw new Error(`the surviving primary's ${name} lookup answered ${res.status}: ${body.error ?? 'no counts'}`);
        Object.assign(counts, body.counts);
      }
      return { store: name, counts };
    },
  };
}
