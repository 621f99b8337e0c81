import { join } from 'node:path';
import type { KubePki } from './certificates.ts';
import { CHAOS_MESH_NAMESPACE, KWOK_NODE_ANNOTATION } from './cluster-objects.ts';
import type { KubeBinary } from './kube-binaries.ts';
import { kwokStagesFile } from './kwok-stages.ts';
import type { KubePlan, PlannedCluster } from './kube-plan.ts';

/** How one process of the control plane is started. */
export interface ComponentSpec {
  name: string;
  binary: KubeBinary | 'etcd';
  args: string[];
  env?: Record<string, string>;
  port?: number;
  context?: string;
}

/** Every API server keeps its objects under its own prefix of one shared etcd: one etcd process instead of three. */
export const etcdPrefixOf = (cluster: PlannedCluster) => `/faultline/${cluster.key}`;

export function etcdSpec(plan: KubePlan): ComponentSpec {
  const client = `http://127.0.0.1:${plan.etcd.client}`;
  const peer = `http://127.0.0.1:${plan.etcd.peer}`;
  return {
    name: 'etcd',
    binary: 'etcd',
    port: plan.etcd.client,
    args: [
      '--name=faultline', `--data-dir=${join(plan.runDir, 'etcd')}`,
      `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=faultline=${peer}`,
      // Throwaway data on loopback: fsync buys nothing here and costs the API servers latency.
      '--unsafe-no-fsync', '--log-level=warn',
    ],
  };
}

/** Where one API server writes its audit log: what faultline's identity asked, and what the authorizer decided. */
export const auditLogOf = (runDir: string, cluster: PlannedCluster) => join(runDir, 'audit', `${cluster.key}.jsonl`);
export const auditPolicyFile = (runDir: string) => join(runDir, 'audit', 'policy.yaml');

/** Only faultline's ServiceAccount is audited, at Metadata level: which verb on which resource, and the decision. */
export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    users: ["system:serviceaccount:faultline:faultline"]
  - level: None
`;

export function apiserverSpec(plan: KubePlan, cluster: PlannedCluster, pki: KubePki): ComponentSpec {
  return {
    name: `kube-apiserver ${cluster.context}`,
    binary: 'kube-apiserver',
    port: cluster.ports.apiserver,
    context: cluster.context,
    args: [
      `--etcd-servers=http://127.0.0.1:${plan.etcd.client}`, `--etcd-prefix=${etcdPrefixOf(cluster)}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${cluster.ports.apiserver}`,
      `--tls-cert-file=${pki.apiserverCert}`, `--tls-private-key-file=${pki.apiserverKey}`, `--client-ca-file=${pki.caCert}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPub}`, `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-cluster-ip-range=10.96.0.0/16', '--profiling=false',
      `--audit-policy-file=${auditPolicyFile(plan.runDir)}`, `--audit-log-path=${auditLogOf(plan.runDir, cluster)}`, '--audit-log-format=json',
    ],
  };
}

export function controllerManagerSpec(cluster: PlannedCluster, pki: KubePki, kubeconfig: string): ComponentSpec {
  return {
    name: `kube-controller-manager ${cluster.context}`,
    binary: 'kube-controller-manager',
    port: cluster.ports.controllerManager,
    context: cluster.context,
    args: [
      `--kubeconfig=${kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${cluster.ports.controllerManager}`, '--leader-elect=false',
      `--service-account-private-key-file=${pki.serviceAccountKey}`, `--root-ca-file=${pki.caCert}`, '--profiling=false',
    ],
  };
}

export function schedulerSpec(cluster: PlannedCluster, kubeconfig: string): ComponentSpec {
  return {
    name: `kube-scheduler ${cluster.context}`,
    binary: 'kube-scheduler',
    port: cluster.ports.scheduler,
    context: cluster.context,
    args: [`--kubeconfig=${kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${cluster.ports.scheduler}`, '--leader-elect=false', '--profiling=false'],
  };
}

export function kwokSpec(plan: KubePlan, cluster: PlannedCluster, kubeconfig: string): ComponentSpec {
  return {
    name: `kwok ${cluster.context}`,
    binary: 'kwok',
    port: cluster.ports.kwok,
    context: cluster.context,
    args: [
      `--kubeconfig=${kubeconfig}`, `--config=${kwokStagesFile(plan.runDir)}`, '--manage-all-nodes=false', `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      `--cidr=${cluster.podCidr}`, `--server-address=127.0.0.1:${cluster.ports.kwok}`, '--node-lease-duration-seconds=40',
    ],
  };
}

/** The real Chaos Mesh controller-manager, out of cluster: configured by environment as its Deployment would be. */
export function chaosControllerSpec(cluster: PlannedCluster, pki: KubePki, kubeconfig: string): ComponentSpec {
  return {
    name: `chaos-controller-manager ${cluster.context}`,
    binary: 'chaos-controller-manager',
    port: cluster.ports.chaosWebhook,
    context: cluster.context,
    args: [],
    env: {
      KUBECONFIG: kubeconfig,
      CERTS_DIR: pki.webhookDir,
      WEBHOOK_HOST: '127.0.0.1',
      WEBHOOK_PORT: String(cluster.ports.chaosWebhook),
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: String(cluster.ports.chaosMetrics),
      ENABLE_LEADER_ELECTION: 'false',
      NAMESPACE: CHAOS_MESH_NAMESPACE,
      // Security mode: the auth webhook asks the API server whether the requester may touch every namespace it selects.
      SECURITY_MODE: 'true',
      PPROF_ADDR: '0',
    },
  };
}
