import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { base64Of, type KubePki } from './certificates.ts';

export interface ClusterEndpoint {
  context: string;
  server: string;
}

/** A kubeconfig as plain data: one cluster, user and context per loopback cluster, named after the binding's contexts. */
function kubeconfigData(pki: KubePki, clusters: ClusterEndpoint[], user: (context: string) => Record<string, string>) {
  const ca = base64Of(pki.caCert);
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map((c) => ({ name: c.context, cluster: { server: c.server, 'certificate-authority-data': ca } })),
    users: clusters.map((c) => ({ name: `faultline@${c.context}`, user: user(c.context) })),
    contexts: clusters.map((c) => ({ name: c.context, context: { cluster: c.context, user: `faultline@${c.context}` } })),
    'current-context': clusters[0]?.context ?? '',
  };
}

/** The operator's kubeconfig: client certificate in system:masters. */
export function writeAdminKubeconfig(path: string, pki: KubePki, clusters: ClusterEndpoint[]): void {
  const cert = base64Of(pki.adminCert);
  const key = base64Of(pki.adminKey);
  writeFileSync(path, stringify(kubeconfigData(pki, clusters, () => ({ 'client-certificate-data': cert, 'client-key-data': key }))), { mode: 0o600 });
}

/** faultline's kubeconfig: a ServiceAccount token per context, so every call is judged by RBAC as deploy/rbac/ grants. */
export function writeTokenKubeconfig(path: string, pki: KubePki, clusters: ClusterEndpoint[], tokens: Record<string, string>): void {
  writeFileSync(path, stringify(kubeconfigData(pki, clusters, (context) => ({ token: tokens[context]! }))), { mode: 0o600 });
}

/** A client-node KubeConfig from a file, pinned to one context when given. */
export function loadKubeConfig(path: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  if (context) kc.setCurrentContext(context);
  return kc;
}
