import {
  FaultlineError,
  linkBetween,
  requireDatastore,
  requireRegion,
  requireService,
  type FaultPlan,
  type SelectionMode,
  type Topology,
  validateFaultNames,
} from '../../core/index.ts';
import type { ChaosResource, ObjectMeta } from './chaos-resource.ts';
import {
  requireRegionCluster,
  scopeSelector,
  workloadSelector,
  type KubernetesBinding,
  type PodScope,
  type RegionCluster,
  type WorkloadSelector,
} from './kubernetes-binding.ts';
import { faultlineAnnotations, faultlineLabels, resourceName } from './names.ts';
import { networkChaos } from './network-chaos.ts';
import { podChaos } from './pod-chaos.ts';
import { stressChaos } from './stress-chaos.ts';
import { catalogueChaos } from './catalogue-manifests.ts';
import { secretStoreChaos } from './secret-store-manifests.ts';
import { parallelWorkflow } from './workflow.ts';

/** Pods an experiment is meant to select; preflight lists them to prove the selector matches something. */
export interface SelectedPods {
  /** What these pods are, for error messages: `service-main in jkt`. */
  role: string;
  namespace: string;
  labels: Record<string, string>;
}

/** One Chaos Mesh resource and the cluster it goes to. */
export interface ChaosPlacement {
  /** The region whose cluster holds the resource. */
  region: string;
  context: string;
  resource: ChaosResource;
  selects: SelectedPods[];
}

export interface FaultContext {
  binding: KubernetesBinding;
  topology: Topology;
  runId: string;
  scenario: string;
  /** The TTL every resource carries as `duration`: the fault's hold time plus grace. */
  ttlMs: number;
}

const ALL: SelectionMode = { mode: 'all' };

/**
 * Translates one logical fault into the Chaos Mesh resources that realise it, per region cluster. Pure: it reads
 * the binding and topology only, so the dry run and the driver produce byte-identical manifests.
 */
export function chaosForFault(plan: FaultPlan, ctx: FaultContext): ChaosPlacement[] {
  const { binding, topology } = ctx;
  if (binding.topology !== topology.name) {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      `the kubernetes binding is for topology "${binding.topology}", not "${topology.name}"`,
      'pass the binding written for this topology (targets/<topology>/kubernetes.ts)',
    );
  }
  const meta = (region: string, namespace: string): ObjectMeta => {
    const id = { runId: ctx.runId, scenario: ctx.scenario, fault: plan.name, region };
    return {
      name: resourceName(ctx.runId, plan.name, region),
      namespace,
      labels: faultlineLabels(id),
      annotations: faultlineAnnotations(id),
    };
  };
  const ttl = ctx.ttlMs;
  const spec = plan.spec;

  switch (spec.kind) {
    case 'podKill':
    case 'podFailure':
    case 'containerKill': {
      requireService(topology, spec.service, spec.region);
      const cluster = requireRegionCluster(binding, spec.region);
      const w = requireWorkload(cluster.services[spec.service], `service "${spec.service}"`, spec.region, `services["${spec.service}"]`);
      const action = spec.kind === 'podKill' ? 'pod-kill' : spec.kind === 'podFailure' ? 'pod-failure' : 'container-kill';
      let containerNames: string[] | undefined;
      if (spec.kind === 'containerKill') {
        const container = spec.container ?? w.container;
        if (!container) {
          throw new FaultlineError(
            'FAULTLINE_BAD_INPUT',
            `containerKill of ${spec.service} in ${spec.region} names no container`,
            `set container on the fault, or services["${spec.service}"].container for ${spec.region} in the kubernetes binding`,
          );
        }
        containerNames = [container];
      }
      const resource = podChaos(meta(spec.region, w.namespace), {
        action,
        target: { selector: workloadSelector(w), selection: spec },
        duration: ttl,
        ...(containerNames ? { containerNames } : {}),
      });
      return [place(spec.region, cluster, resource, [selects(`${spec.service} in ${spec.region}`, w)])];
    }

    case 'partition':
    case 'latency': {
      const [a, b] = spec.regions;
      linkBetween(topology, a, b);
      const ca = requireRegionCluster(binding, a);
      const cb = requireRegionCluster(binding, b);
      const build = (from: string, cFrom: RegionCluster, to: string, cTo: RegionCluster, sameCluster: boolean): ChaosPlacement => {
        const common = {
          target: { selector: scopeSelector(cFrom.network), selection: ALL },
          duration: ttl,
          ...(sameCluster
            ? { peer: { selector: scopeSelector(cTo.network), selection: ALL } }
            : { externalTargets: requireCidrs(cTo, to) }),
        };
        const resource =
          spec.kind === 'partition'
            ? networkChaos(meta(from, scopeNamespace(cFrom.network, from)), { action: 'partition', direction: 'both', ...common })
            : networkChaos(meta(from, scopeNamespace(cFrom.network, from)), {
                action: 'delay',
                // Egress from A toward B only: every round trip between them, whichever side opens it, gains `latency`
                // once, the way the lab's toxiproxy latency toxic behaves on a link.
                direction: 'to',
                latency: spec.latency,
                ...(spec.jitter !== undefined ? { jitter: spec.jitter } : {}),
                ...common,
              });
        const pods = scopeSelects(`every pod of ${from}`, cFrom.network);
        if (sameCluster) pods.push(...scopeSelects(`every pod of ${to}`, cTo.network));
        return place(from, cFrom, resource, pods);
      };
      if (ca.context === cb.context) return [build(a, ca, b, cb, true)];
      if (spec.kind === 'latency') return [build(a, ca, b, cb, false)];
      // Each cluster only sees its own pods, so a cross-cluster partition is cut from both ends.
      return [build(a, ca, b, cb, false), build(b, cb, a, ca, false)];
    }

    case 'replicaLag': {
      validateFaultNames(spec, topology);
      const store = requireDatastore(topology, spec.store);
      const home = store.primaryRegion;
      const cp = requireRegionCluster(binding, home);
      const cr = requireRegionCluster(binding, spec.region);
      const primary = requireWorkload(cp.databases?.[store.name]?.primary, `the ${store.name} primary`, home, `databases["${store.name}"].primary`);
      const replica = requireWorkload(cr.databases?.[store.name]?.replica, `the ${store.name} replica`, spec.region, `databases["${store.name}"].replica`);
      const sameCluster = cp.context === cr.context;
      // Replication is pushed by the primary, so delaying the primary's egress toward the replica makes every WAL
      // record arrive `by` later: the replica's apply lag grows by that much and no more. An IOChaos latency on the
      // replica's volume would also lag it, but by an amount that depends on write volume, not on `by`.
      const resource = networkChaos(meta(home, primary.namespace), {
        action: 'delay',
        direction: 'to',
        latency: spec.by,
        target: { selector: workloadSelector(primary), selection: ALL },
        duration: ttl,
        ...(sameCluster
          ? { peer: { selector: workloadSelector(replica), selection: ALL } }
          : { externalTargets: requireCidrs(cr, spec.region) }),
      });
      const pods = [selects(`${store.name} primary in ${home}`, primary)];
      if (sameCluster) pods.push(selects(`${store.name} replica in ${spec.region}`, replica));
      return [place(home, cp, resource, pods)];
    }

    case 'stress': {
      requireService(topology, spec.service, spec.region);
      const cluster = requireRegionCluster(binding, spec.region);
      const w = requireWorkload(cluster.services[spec.service], `service "${spec.service}"`, spec.region, `services["${spec.service}"]`);
      const resource = stressChaos(meta(spec.region, w.namespace), {
        target: { selector: workloadSelector(w), selection: ALL },
        duration: ttl,
        cpu: spec.load === undefined ? { workers: spec.cpuWorkers } : { workers: spec.cpuWorkers, load: spec.load },
      });
      return [place(spec.region, cluster, resource, [selects(`${spec.service} in ${spec.region}`, w)])];
    }

    case 'regionLoss': {
      requireRegion(topology, spec.region);
      const cluster = requireRegionCluster(binding, spec.region);
      const others = topology.regions.filter((r) => r.name !== spec.region).map((r) => requireRegionCluster(binding, r.name));
      if (others.some((c) => c.context === cluster.context)) {
        throw new FaultlineError(
          'FAULTLINE_BAD_INPUT',
          `region "${spec.region}" shares its cluster with another region, so a region loss cannot cut it off by CIDR`,
          'bind each region to its own cluster, or inject podFailure and partition faults instead',
        );
      }
      const externalTargets = others.flatMap((c) => requireCidrs(c, spec.region));
      const pods = { selector: scopeSelector(cluster.network), selection: ALL };
      // Every pod of the region failed in place (a frozen region, not a rescheduled one) and its network cut from
      // every other region's CIDRs, both ways: one Workflow, so one create, one delete and one TTL.
      const resource = parallelWorkflow(meta(spec.region, scopeNamespace(cluster.network, spec.region)), {
        entry: 'region-loss',
        deadline: ttl,
        steps: [
          { name: 'pods-failed', kind: 'PodChaos', spec: podChaos(meta(spec.region, scopeNamespace(cluster.network, spec.region)), { action: 'pod-failure', target: pods, duration: ttl }).spec },
          {
            name: 'network-cut',
            kind: 'NetworkChaos',
            spec: networkChaos(meta(spec.region, scopeNamespace(cluster.network, spec.region)), { action: 'partition', direction: 'both', target: pods, externalTargets, duration: ttl }).spec,
          },
        ],
      });
      return [place(spec.region, cluster, resource, scopeSelects(`every pod of ${spec.region}`, cluster.network))];
    }

    case 'secretStoreLoss':
      return secretStoreChaos(spec, ctx, meta);

    case 'storeLoss': {
      const store = requireDatastore(topology, spec.store);
      const cluster = requireRegionCluster(binding, store.primaryRegion);
      const w = requireWorkload(cluster.databases?.[store.name]?.primary, `the ${store.name} primary`, store.primaryRegion, `databases["${store.name}"].primary`);
      const resource = podChaos(meta(store.primaryRegion, w.namespace), { action: 'pod-failure', target: { selector: workloadSelector(w), selection: ALL }, duration: ttl });
      return [place(store.primaryRegion, cluster, resource, [selects(`${store.name} primary in ${store.primaryRegion}`, w)])];
    }

    case 'cacheLoss': {
      requireRegion(topology, spec.region);
      if (!topology.caches.some((c) => c.regions.includes(spec.region))) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${topology.name}" has no cache in region "${spec.region}"`);
      }
      const cluster = requireRegionCluster(binding, spec.region);
      const w = requireWorkload(cluster.cache, 'the cache', spec.region, 'cache');
      const resource = podChaos(meta(spec.region, w.namespace), {
        action: 'pod-kill',
        target: { selector: workloadSelector(w), selection: ALL },
        duration: ttl,
      });
      return [place(spec.region, cluster, resource, [selects(`cache in ${spec.region}`, w)])];
    }

    case 'httpFault':
    case 'dnsFault':
    case 'timeSkew':
    case 'ioLatency':
      return catalogueChaos(spec, ctx, meta);
  }
}

export function place(region: string, cluster: RegionCluster, resource: ChaosResource, pods: SelectedPods[]): ChaosPlacement {
  return { region, context: cluster.context, resource, selects: pods };
}

export function selects(role: string, w: WorkloadSelector): SelectedPods {
  return { role, namespace: w.namespace, labels: { ...w.labels } };
}

export function scopeSelects(role: string, scope: PodScope): SelectedPods[] {
  return scope.namespaces.map((namespace) => ({ role, namespace, labels: { ...(scope.labels ?? {}) } }));
}

export function scopeNamespace(scope: PodScope, region: string): string {
  const ns = scope.namespaces[0];
  if (!ns) throw bindingGap(`network.namespaces is empty`, region);
  return ns;
}

export function requireWorkload(w: WorkloadSelector | undefined, what: string, region: string, field: string): WorkloadSelector {
  if (!w) throw bindingGap(`${field} is not set, so ${what} cannot be selected`, region);
  return w;
}

function requireCidrs(cluster: RegionCluster, region: string): string[] {
  if (!cluster.vpcCidrs.length) throw bindingGap('vpcCidrs is empty, so other clusters cannot aim at it', region);
  return cluster.vpcCidrs;
}

export function bindingGap(what: string, region: string): FaultlineError {
  return new FaultlineError(
    'FAULTLINE_UNKNOWN_NAME',
    `kubernetes binding, region "${region}": ${what}`,
    `fill it in under regions.${region} of the binding (targets/<topology>/kubernetes.ts)`,
  );
}
