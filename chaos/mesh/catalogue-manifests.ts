import { requireDatastore, requireRoutes, validateFaultNames, type FaultSpec, type SelectionMode } from '../../core/index.ts';
import type { ObjectMeta } from './chaos-resource.ts';
import { dnsChaos } from './dns-chaos.ts';
import { bindingGap, place, requireWorkload, scopeNamespace, scopeSelects, selects, type ChaosPlacement, type FaultContext } from './fault-manifests.ts';
import { httpChaos } from './http-chaos.ts';
import { ioLatencyChaos } from './io-chaos.ts';
import { requireRegionCluster, scopeSelector, workloadSelector } from './kubernetes-binding.ts';
import { timeChaos } from './time-chaos.ts';

type CatalogueFault = Extract<FaultSpec, { kind: 'httpFault' | 'dnsFault' | 'timeSkew' | 'ioLatency' }>;

/**
 * The header the calling service sets on every cross-region call (the lab's reference service does; a real mesh
 * would match on the source workload instead). HTTPChaos matches on it so that only the route's caller is hit.
 */
export const ORIGIN_REGION_HEADER = 'x-faultline-origin-region';

/** HTTPChaos, DNSChaos, TimeChaos and IOChaos for the catalogue's HTTP, DNS, clock and disk faults. */
export function catalogueChaos(spec: CatalogueFault, ctx: FaultContext, meta: (region: string, namespace: string) => ObjectMeta): ChaosPlacement[] {
  const { binding, topology, ttlMs: ttl } = ctx;
  validateFaultNames(spec, topology);
  switch (spec.kind) {
    case 'httpFault': {
      const route = requireRoutes(topology, spec)[0]!;
      const cluster = requireRegionCluster(binding, spec.region);
      const w = requireWorkload(cluster.services[spec.service], `service "${spec.service}"`, spec.region, `services["${spec.service}"]`);
      if (w.httpPort === undefined) throw bindingGap(`services["${spec.service}"].httpPort is not set, so HTTPChaos cannot intercept it`, spec.region);
      // HTTPChaos hits every matching exchange on the pods it selects; the share becomes the share of pods, which
      // with requests spread evenly is the share of requests (to the nearest pod).
      const selection: SelectionMode = spec.share >= 1 ? { mode: 'all' } : { mode: 'fixed-percent', value: Math.max(1, Math.round(spec.share * 100)) };
      const resource = httpChaos(meta(spec.region, w.namespace), {
        target: { selector: workloadSelector(w), selection },
        duration: ttl,
        port: w.httpPort,
        method: (spec.method ?? route.method).toUpperCase(),
        path: spec.path ?? route.path,
        requestHeaders: { [ORIGIN_REGION_HEADER]: spec.from },
        ...(spec.abort !== undefined ? { phase: 'Response' as const, replaceCode: spec.abort } : { phase: 'Request' as const, delay: spec.delay! }),
      });
      return [place(spec.region, cluster, resource, [selects(`${spec.service} in ${spec.region}`, w)])];
    }
    case 'dnsFault': {
      const target = requireRegionCluster(binding, spec.region).services[spec.service];
      const served = requireWorkload(target, `service "${spec.service}"`, spec.region, `services["${spec.service}"]`);
      if (!served.hostnames?.length) throw bindingGap(`services["${spec.service}"].hostnames is not set, so no name can be made to fail`, spec.region);
      const cluster = requireRegionCluster(binding, spec.from);
      // The lookups fail where they are made: in the calling region's pods, for the served service's names only.
      const resource = dnsChaos(meta(spec.from, scopeNamespace(cluster.network, spec.from)), {
        target: { selector: scopeSelector(cluster.network), selection: { mode: 'all' } },
        duration: ttl,
        action: spec.action ?? 'error',
        patterns: served.hostnames,
      });
      return [place(spec.from, cluster, resource, scopeSelects(`every pod of ${spec.from}`, cluster.network))];
    }
    case 'timeSkew': {
      const cluster = requireRegionCluster(binding, spec.region);
      const w = requireWorkload(cluster.services[spec.service], `service "${spec.service}"`, spec.region, `services["${spec.service}"]`);
      const resource = timeChaos(meta(spec.region, w.namespace), {
        target: { selector: workloadSelector(w), selection: spec },
        duration: ttl,
        offset: spec.offset,
        backwards: spec.backwards ?? false,
        ...(w.container ? { containerNames: [w.container] } : {}),
      });
      return [place(spec.region, cluster, resource, [selects(`${spec.service} in ${spec.region}`, w)])];
    }
    case 'ioLatency': {
      const store = requireDatastore(topology, spec.store);
      const role = spec.region === store.primaryRegion ? 'primary' : 'replica';
      const cluster = requireRegionCluster(binding, spec.region);
      const field = `databases["${store.name}"].${role}`;
      const w = requireWorkload(cluster.databases?.[store.name]?.[role], `the ${store.name} ${role}`, spec.region, field);
      if (!w.volumePath) throw bindingGap(`${field}.volumePath is not set, so IOChaos does not know the data volume`, spec.region);
      const resource = ioLatencyChaos(meta(spec.region, w.namespace), {
        target: { selector: workloadSelector(w), selection: { mode: 'all' } },
        duration: ttl,
        volumePath: w.volumePath,
        delay: spec.delay,
        ...(spec.percent !== undefined ? { percent: spec.percent } : {}),
        ...(w.container ? { containerNames: [w.container] } : {}),
      });
      return [place(spec.region, cluster, resource, [selects(`${store.name} ${role} in ${spec.region}`, w)])];
    }
  }
}

