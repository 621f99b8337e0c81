import { FaultlineError, redactSecrets, type FaultlineErrorCode } from '../../core/index.ts';

/** What faultline was doing when the API answered, so an error can name the exact RBAC rule or resource. */
export interface KubeRequest {
  context: string;
  verb: 'create' | 'get' | 'list' | 'watch' | 'delete' | 'update';
  /** `''` for the core group. */
  group: string;
  resource: string;
  namespace: string;
  name?: string;
}

export const CHAOS_MESH_INSTALL =
  'helm repo add chaos-mesh https://charts.chaos-mesh.org && helm install chaos-mesh chaos-mesh/chaos-mesh ' +
  '--namespace chaos-mesh --create-namespace --version 2.8.3';

/** The HTTP status of a failed client-node call, or undefined for network-level failures. */
export function httpStatusOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** The `message` of the Kubernetes Status object the API answered with. */
export function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown })?.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim();
    }
  }
  const message = (parsed as { message?: unknown })?.message;
  if (typeof message === 'string') return message;
  return error instanceof Error && httpStatusOf(error) === undefined ? error.message : '';
}

function where(req: KubeRequest, withContext = true): string {
  const gr = req.group ? `${req.resource}.${req.group}` : req.resource;
  return `${gr}${req.name ? ` "${req.name}"` : ''} in namespace "${req.namespace}"${withContext ? ` (context "${req.context}")` : ''}`;
}

/**
 * Maps a failed API call to the error a user can act on. Messages carry the context, resource and the API server's
 * own words; never the request, whose headers hold the credentials.
 */
export function kubeError(error: unknown, req: KubeRequest, failure: FaultlineErrorCode = 'FAULTLINE_INJECTION_FAILED'): FaultlineError {
  const status = httpStatusOf(error);
  const message = redactSecrets(apiMessage(error));
  const said = message ? `: ${message}` : '';
  const rule = `{apiGroups: ["${req.group}"], resources: ["${req.resource}"], verbs: ["${req.verb}"]} in namespace "${req.namespace}"`;

  // Chaos Mesh's webhook denies through controller-runtime, which answers 403: a refusal of the manifest, not of us.
  if ((status === 403 && /admission webhook/i.test(message)) || status === 422 || status === 400) {
    return new FaultlineError(
      'FAULTLINE_KUBE_DENIED',
      `the API server refused to ${req.verb} ${where(req)}${said}`,
      'the message is the admission webhook or CRD schema speaking; fix the fault or the binding it came from',
    );
  }
  switch (status) {
    case 401:
      return new FaultlineError(
        'FAULTLINE_KUBE_FORBIDDEN',
        `context "${req.context}" rejected faultline's credentials (401)${said}`,
        `refresh the credentials of context "${req.context}" (for EKS: aws eks update-kubeconfig), then retry`,
      );
    case 403:
      return new FaultlineError(
        'FAULTLINE_KUBE_FORBIDDEN',
        `not allowed to ${req.verb} ${where(req)}${said}`,
        `grant the RBAC rule ${rule} to faultline's identity: kubectl --context ${req.context} apply -n ${req.namespace} -f deploy/rbac/`,
      );
    case 404:
      if (/namespaces? "[^"]*" not found/.test(message)) {
        return new FaultlineError(
          'FAULTLINE_BAD_INPUT',
          `namespace "${req.namespace}" does not exist in context "${req.context}"${said}`,
          'fix the namespace in the kubernetes binding',
        );
      }
      if (req.verb === 'create' || req.verb === 'list' || req.verb === 'watch') {
        return new FaultlineError(
          'FAULTLINE_KUBE_CRD_MISSING',
          `context "${req.context}" has no ${req.resource}.${req.group || 'core'} resource type${said}`,
          req.group === 'chaos-mesh.org'
            ? `install Chaos Mesh in that cluster: ${CHAOS_MESH_INSTALL} --kube-context ${req.context}`
            : `install the operator that defines ${req.resource}.${req.group} in context "${req.context}"`,
        );
      }
      break;
    case 409:
      return new FaultlineError(
        'FAULTLINE_INJECTION_FAILED',
        `${where(req)} already exists${said}`,
        'a previous run with the same run id left it behind: run faultline cleanup --target k8s, or use a new run id',
      );
  }
  if (status === undefined) {
    return new FaultlineError(
      failure,
      `cannot reach the API server of context "${req.context}" to ${req.verb} ${where(req, false)}: ${redactSecrets((error as Error)?.message ?? String(error))}`,
      `check the cluster address and network path for context "${req.context}" (kubectl --context ${req.context} get ns)`,
    );
  }
  return new FaultlineError(
    failure,
    `the API server answered ${status} to ${req.verb} ${where(req)}${said}`,
    status >= 500
      ? `the API server or Chaos Mesh controller failed; check kubectl --context ${req.context} -n chaos-mesh get pods, then retry`
      : 'retry; if it persists, report it with the message above',
  );
}
