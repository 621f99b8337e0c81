import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { FaultlineError, redactSecrets } from '../../core/index.ts';

export const K6_OPERATOR_INSTALL =
  'helm repo add grafana https://grafana.github.io/helm-charts && helm install k6-operator grafana/k6-operator --namespace k6-operator-system --create-namespace';

/** API clients pinned to one context (client-node resolves the current context per request). */
export function clientsFor(kubeConfig: KubeConfig, context: string): { custom: CustomObjectsApi; core: CoreV1Api } {
  if (!kubeConfig.getContextObject(context)) {
    throw new FaultlineError(
      'FAULTLINE_BAD_INPUT',
      `kube context "${context}" is not in the kubeconfig`,
      `known contexts: ${kubeConfig.getContexts().map((c) => c.name).join(', ') || '(none)'}`,
    );
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: kubeConfig.getClusters(), users: kubeConfig.getUsers(), contexts: kubeConfig.getContexts(), currentContext: context });
  return { custom: kc.makeApiClient(CustomObjectsApi), core: kc.makeApiClient(CoreV1Api) };
}

export function statusOf(e: unknown): number | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A failed call as an actionable error, with the API server's message and never the request's credentials. */
export function loadKubeError(e: unknown, what: { context: string; verb: string; resource: string; group: string; namespace: string }): FaultlineError {
  const status = statusOf(e);
  let message = '';
  const body = (e as { body?: unknown })?.body;
  try {
    message = typeof body === 'string' ? ((JSON.parse(body) as { message?: string }).message ?? body) : '';
  } catch {
    message = String(body);
  }
  message = redactSecrets(message || (status === undefined ? (e as Error)?.message ?? String(e) : ''));
  const gr = what.group ? `${what.resource}.${what.group}` : what.resource;
  const said = message ? `: ${message}` : '';
  if (status === 403 && !/admission webhook/i.test(message)) {
    return new FaultlineError(
      'FAULTLINE_KUBE_FORBIDDEN',
      `not allowed to ${what.verb} ${gr} in namespace "${what.namespace}" (context "${what.context}")${said}`,
      `grant {apiGroups: ["${what.group}"], resources: ["${what.resource}"], verbs: ["${what.verb}"]} in "${what.namespace}": see deploy/rbac/load-role.yaml`,
    );
  }
  if (status === 404 && what.group === 'k6.io') {
    return new FaultlineError('FAULTLINE_KUBE_CRD_MISSING', `context "${what.context}" has no ${gr} resource type${said}`, `install k6-operator: ${K6_OPERATOR_INSTALL} --kube-context ${what.context}`);
  }
  if (status === 422 || status === 400 || status === 403) {
    return new FaultlineError('FAULTLINE_KUBE_DENIED', `the API server refused to ${what.verb} ${gr} in "${what.namespace}" (context "${what.context}")${said}`);
  }
  return new FaultlineError(
    'FAULTLINE_HARNESS',
    `${what.verb} ${gr} in "${what.namespace}" (context "${what.context}") failed${status ? ` with ${status}` : ''}${said}`,
    status === 409 ? 'a previous run with this run id left it behind; delete it or use a new run id' : 'check the cluster, then retry',
  );
}
