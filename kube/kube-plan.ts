import { join, resolve } from 'node:path';
import type { KubernetesBinding } from '../chaos/mesh/index.ts';
import { FaultlineError } from '../core/index.ts';

/** The first port of the loopback control plane's range (16000-16999, as the project's port map reserves). */
export const KUBE_PORT_BASE = 16_000;
/** Where `faultline kube up` keeps certificates, kubeconfigs, etcd data, logs and its state. */
export const KUBE_RUN_DIR = join('.faultline', 'kube');

/** Offsets of one cluster's ports from its own base (`portBase + 100 + 20 * index`). */
export const ClusterPorts = { apiserver: 0, controllerManager: 1, scheduler: 2, kwok: 3, chaosWebhook: 4, chaosMetrics: 5 } as const;

/** One loopback "cluster": an API server with its own etcd prefix, controllers, kwok and Chaos Mesh. */
export interface PlannedCluster {
  /** The kubeconfig context the binding names for it, e.g. `eks-jakarta`. */
  context: string;
  /** Regions this cluster serves (several regions may share one context). */
  regions: string[];
  /** Each binding region this cluster serves; several bindings may share a context (the garage slices do). */
  members: { binding: KubernetesBinding; region: string }[];
  index: number;
  /** A key safe for file names and the etcd prefix. */
  key: string;
  ports: Record<keyof typeof ClusterPorts, number>;
  /** Pod IPs come from the first region's VPC CIDR, so manifests aimed at CIDRs name real pod addresses. */
  podCidr: string;
}

export interface KubePlan {
  runDir: string;
  portBase: number;
  etcd: { client: number; peer: number };
  clusters: PlannedCluster[];
  /** Every port the control plane listens on, so `kube down` can prove none is left bound. */
  ports: number[];
}

/** One cluster per distinct context of the bindings, with fixed ports from `portBase`. */
export function planKube(bindings: KubernetesBinding | KubernetesBinding[], options: { runDir?: string; portBase?: number } = {}): KubePlan {
  const portBase = options.portBase ?? KUBE_PORT_BASE;
  if (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65_535 - 1_000) {
    throw new FaultlineError('FAULTLINE_BAD_INPUT', `--port-base ${portBase} is not a usable port range start`, 'choose a base between 1024 and 64535, e.g. --port-base 16000');
  }
  const byContext = new Map<string, PlannedCluster['members']>();
  for (const binding of [bindings].flat()) {
    for (const [region, cluster] of Object.entries(binding.regions)) byContext.set(cluster.context, [...(byContext.get(cluster.context) ?? []), { binding, region }]);
  }
  const clusters = [...byContext].map(([context, members], index): PlannedCluster => {
    const base = portBase + 100 + 20 * index;
    const ports = Object.fromEntries(Object.entries(ClusterPorts).map(([k, off]) => [k, base + off])) as PlannedCluster['ports'];
    const first = members[0]!;
    return {
      context,
      regions: [...new Set(members.map((m) => m.region))],
      members,
      index,
      key: context.replace(/[^a-z0-9-]/gi, '-').toLowerCase(),
      ports,
      podCidr: first.binding.regions[first.region]!.vpcCidrs[0] ?? `10.${200 + index}.0.0/16`,
    };
  });
  if (clusters.length > 40) throw new FaultlineError('FAULTLINE_BAD_INPUT', `the binding names ${clusters.length} contexts; the port range holds 40`);
  const etcd = { client: portBase, peer: portBase + 1 };
  return {
    runDir: resolve(options.runDir ?? KUBE_RUN_DIR),
    portBase,
    etcd,
    clusters,
    ports: [etcd.client, etcd.peer, ...clusters.flatMap((c) => Object.values(c.ports))],
  };
}
