import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubernetesBinding } from '../chaos/mesh/index.ts';

/** The shipped least-privilege RBAC (deploy/rbac/), the one source of the rules a scheduled run holds. */
export const RBAC_DIR = fileURLToPath(new URL('../deploy/rbac/', import.meta.url));

type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: unknown };

function shippedRbac(): KubeObject[] {
  return readdirSync(RBAC_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(`${RBAC_DIR}${f}`, 'utf8')).map((d) => d.toJS() as KubeObject))
    .filter((o) => o && typeof o === 'object');
}

/**
 * deploy/rbac/ re-aimed at one scheduled run: the ServiceAccount in the CronJob's namespace, the chaos ClusterRole as
 * shipped, bound per namespace of the binding's blast radius (never cluster-wide), and the load Role in every load
 * namespace the binding names. Rules are copied from the shipped files, never rewritten, so the RBAC test of
 * deploy/rbac/ covers these too.
 */
export function rbacObjects(binding: KubernetesBinding, namespace: string): KubeObject[] {
  const shipped = shippedRbac();
  const find = (kind: string, name: string) => {
    const found = shipped.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`deploy/rbac/ has no ${kind} ${name}`);
    return structuredClone(found);
  };
  const account = find('ServiceAccount', 'faultline');
  account.metadata.namespace = namespace;
  const subject = [{ kind: 'ServiceAccount', name: account.metadata.name, namespace }];
  const chaosBinding = find('RoleBinding', 'faultline-chaos');
  const loadRole = find('Role', 'faultline-load');
  const loadBinding = find('RoleBinding', 'faultline-load');
  const loadNamespaces = [...new Set(Object.values(binding.regions).flatMap((r) => (r.load ? [r.load.namespace] : [])))];
  return [
    account,
    find('ClusterRole', 'faultline-chaos'),
    ...binding.allowedNamespaces.map((ns) => ({ ...structuredClone(chaosBinding), metadata: { ...chaosBinding.metadata, namespace: ns }, subjects: subject })),
    ...loadNamespaces.flatMap((ns) => [
      { ...structuredClone(loadRole), metadata: { ...loadRole.metadata, namespace: ns } },
      { ...structuredClone(loadBinding), metadata: { ...loadBinding.metadata, namespace: ns }, subjects: subject },
    ]),
  ];
}
