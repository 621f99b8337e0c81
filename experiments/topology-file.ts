import type { KubernetesBinding } from '../chaos/mesh/index.ts';
import type { Topology } from '../core/index.ts';
import type { LabBinding } from '../lab/contract/index.ts';

/**
 * A topology file: a team's own system (regions, services, datastores, caches, links) and where it runs, without
 * touching the harness. The same types as targets/<topology>/*.ts, so a file and a TypeScript topology are one model.
 */
export interface TopologyFile extends Topology {
  /** The schema this file follows; editors use it to complete and check. Ignored by faultline. */
  $schema?: string;
  /** How the topology runs as the embedded lab on one machine. Each field defaults to the seed lab's value. */
  lab?: Partial<LabBinding>;
  /** One kube context per region, with namespaces, label selectors and VPC CIDRs (see docs/kubernetes.md). */
  kubernetes?: KubernetesFileBinding;
}

/** The Kubernetes binding; `topology` defaults to the file's `name` and `productionLike` to false. */
export interface KubernetesFileBinding extends Omit<KubernetesBinding, 'topology' | 'productionLike'> {
  topology?: string;
  /** Marks clusters that carry real users: faults are refused unless the run allows it explicitly. Default false. */
  productionLike?: boolean;
}
