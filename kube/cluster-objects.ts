import type { WorkloadSelector } from '../chaos/mesh/index.ts';
import type { PlannedCluster } from './kube-plan.ts';

/** A Kubernetes object as plain data, created by the admin client. */
export interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** The annotation kwok is told to manage: nodes carrying it are kept Ready, pods on them are run without containers. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
export const CHAOS_MESH_NAMESPACE = 'chaos-mesh';

/** How many pods each kind of workload runs: enough for a 50 % pod kill to leave one, as in the lab. */
const REPLICAS = { 'service-main': 2, default: 1 } as const;

export interface PlannedWorkload {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  containers: string[];
  replicas: number;
}

/**
 * The workloads a healthy deployment of the system runs in this cluster, read from the binding itself: every
 * service, cache and database selector gets a Deployment whose pods carry exactly the labels the binding selects.
 */
export function workloadsFor(cluster: PlannedCluster): PlannedWorkload[] {
  const out: PlannedWorkload[] = [];
  const shared = cluster.regions.length > 1;
  const topologies = new Set(cluster.members.map((m) => m.binding.topology));
  for (const { binding, region } of cluster.members) {
    const r = binding.regions[region]!;
    const scope = r.network.labels ?? {};
    // Names only need telling apart when the cluster holds several regions or several systems.
    const nameOf = (name: string) => [topologies.size > 1 ? binding.topology : '', name, shared ? region : ''].filter(Boolean).join('-');
    const add = (name: string, w: WorkloadSelector, replicas: number) =>
      out.push({
        name: nameOf(name),
        namespace: w.namespace,
        labels: { ...scope, ...w.labels, ...(shared ? { 'topology.kubernetes.io/region': region } : {}) },
        containers: [w.container ?? 'main'],
        replicas,
      });
    for (const [service, w] of Object.entries(r.services)) add(service, w, REPLICAS[service as 'service-main'] ?? REPLICAS.default);
    if (r.cache) add('cache', r.cache, REPLICAS.default);
    for (const [store, pods] of Object.entries(r.databases ?? {})) {
      if (pods.primary) add(`${store}-primary`, pods.primary, REPLICAS.default);
      if (pods.replica) add(`${store}-replica`, pods.replica, REPLICAS.default);
    }
    // A secret store's nodes: where the binding marks a leader, one pod carries the leader labels and the others
    // carry none of them, as Vault's service registration labels the active pod and its standbys.
    for (const [store, pods] of Object.entries(r.secretStores ?? {})) {
      const leader = pods.leaderLabels && Object.keys(pods.leaderLabels).length ? pods.leaderLabels : undefined;
      if (!leader) {
        add(store, pods, 1);
        continue;
      }
      add(`${store}-active`, { ...pods, labels: { ...pods.labels, ...leader } }, 1);
      add(`${store}-standby`, { ...pods, labels: { ...pods.labels, ...Object.fromEntries(Object.keys(leader).map((k) => [k, 'false'])) } }, 2);
    }
  }
  return out;
}

/** Every namespace the binding, the RBAC and the load runner refer to in this cluster. */
export function namespacesFor(cluster: PlannedCluster): string[] {
  const names = new Set<string>(['faultline', CHAOS_MESH_NAMESPACE]);
  for (const { binding, region } of cluster.members) {
    for (const ns of binding.allowedNamespaces) names.add(ns);
    const r = binding.regions[region]!;
    for (const ns of r.network.namespaces) names.add(ns);
    for (const w of Object.values(r.services)) names.add(w.namespace);
    for (const w of Object.values(r.secretStores ?? {})) names.add(w.namespace);
    if (r.load) names.add(r.load.namespace);
  }
  return [...names];
}

export function namespaceManifest(name: string): KubeManifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** A node that only kwok keeps alive. Generous capacity: scheduling must never be what a test measures. */
export function nodeManifest(cluster: PlannedCluster, n: number): KubeManifest {
  const name = `kwok-${cluster.key}-${n}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok', 'topology.kubernetes.io/region': cluster.regions.join('-') },
    },
    spec: {},
    status: {
      allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
      capacity: { cpu: '32', memory: '128Gi', pods: '110' },
    },
  };
}

export function deploymentManifest(w: PlannedWorkload): KubeManifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: w.name, namespace: w.namespace, labels: w.labels },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: w.labels },
      template: {
        metadata: { labels: w.labels },
        spec: {
          // kwok runs no containers; the image is never pulled, but it must be a valid reference.
          containers: w.containers.map((name) => ({ name, image: `registry.invalid/faultline/${w.name}:loopback` })),
          terminationGracePeriodSeconds: 1,
        },
      },
    },
  };
}

/**
 * Chaos Mesh's admission webhooks as its own chart registers them (a mutating and a validating hook per resource,
 * plus the auth check of security mode), pointed at the controller on 127.0.0.1 instead of a Service.
 */
export const CHAOS_MESH_WEBHOOK_RESOURCES = [
  'podchaos', 'iochaos', 'timechaos', 'networkchaos', 'kernelchaos', 'stresschaos', 'awschaos', 'azurechaos', 'gcpchaos',
  'dnschaos', 'jvmchaos', 'schedules', 'workflows', 'httpchaos', 'blockchaos', 'physicalmachinechaos', 'physicalmachines',
  'statuschecks', 'remoteclusters',
] as const;

/** The webhook path segment of a resource: Chaos Mesh registers schedules as `schedule`, and so on. */
const pathName = (resource: string) => ({ schedules: 'schedule', workflows: 'workflow', physicalmachines: 'physicalmachine', statuschecks: 'statuscheck', remoteclusters: 'remotecluster' })[resource] ?? resource;

export function chaosMeshWebhooks(port: number, caBundle: string): KubeManifest[] {
  const url = (path: string) => `https://127.0.0.1:${port}${path}`;
  const hook = (prefix: 'm' | 'v', verb: 'mutate' | 'validate', resource: string) => ({
    name: `${prefix}${pathName(resource)}.kb.io`,
    clientConfig: { url: url(`/${verb}-chaos-mesh-org-v1alpha1-${pathName(resource)}`), caBundle },
    rules: [{ apiGroups: ['chaos-mesh.org'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: [resource] }],
    failurePolicy: 'Fail',
    sideEffects: 'None',
    admissionReviewVersions: ['v1', 'v1beta1'],
    timeoutSeconds: 5,
  });
  const labels = { 'app.kubernetes.io/managed-by': 'faultline-kube', 'app.kubernetes.io/component': 'admission-webhook' };
  return [
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'chaos-mesh-mutation', labels }, webhooks: CHAOS_MESH_WEBHOOK_RESOURCES.map((r) => hook('m', 'mutate', r)) },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'chaos-mesh-validation', labels }, webhooks: CHAOS_MESH_WEBHOOK_RESOURCES.map((r) => hook('v', 'validate', r)) },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'chaos-mesh-validation-auth', labels },
      webhooks: [
        {
          name: 'vauth.kb.io',
          clientConfig: { url: url('/validate-auth'), caBundle },
          rules: [{ apiGroups: ['chaos-mesh.org'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: ['*'] }],
          failurePolicy: 'Fail',
          sideEffects: 'None',
          admissionReviewVersions: ['v1', 'v1beta1'],
          timeoutSeconds: 5,
        },
      ],
    },
  ];
}

/**
 * deploy/rbac/chaos-rolebindings.yaml binds the chaos role in seed 003's namespaces; the docs tell users to write one
 * RoleBinding per allowed namespace of their binding. This does exactly that for every binding the cluster serves.
 */
export function chaosRoleBindings(cluster: PlannedCluster): KubeManifest[] {
  const namespaces = new Set(cluster.members.flatMap((m) => m.binding.allowedNamespaces));
  return [...namespaces].map((namespace) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'faultline-chaos', namespace, labels: { 'app.kubernetes.io/managed-by': 'faultline' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'faultline-chaos' },
    subjects: [{ kind: 'ServiceAccount', name: 'faultline', namespace: 'faultline' }],
  }));
}
