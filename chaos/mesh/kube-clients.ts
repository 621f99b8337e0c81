import { AuthorizationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import { FaultlineError } from '../../core/index.ts';

/** The API clients for one kube context. */
export interface ContextClient {
  context: string;
  custom: CustomObjectsApi;
  core: CoreV1Api;
  authz: AuthorizationV1Api;
  watch: Watch;
}

/**
 * One client per context, built lazily. client-node resolves the current context on every request, so each context
 * gets its own KubeConfig copy pinned to it; sharing one and switching contexts would race between regions.
 */
export class KubeClients {
  private readonly clients = new Map<string, ContextClient>();

  constructor(readonly kubeConfig: KubeConfig) {}

  /** The kubeconfig named by KUBECONFIG, or ~/.kube/config, or the in-cluster service account. */
  static fromDefault(): KubeClients {
    const kc = new KubeConfig();
    kc.loadFromDefault();
    return new KubeClients(kc);
  }

  get(context: string): ContextClient {
    const existing = this.clients.get(context);
    if (existing) return existing;
    if (!this.kubeConfig.getContextObject(context)) {
      throw new FaultlineError(
        'FAULTLINE_BAD_INPUT',
        `kube context "${context}" is not in the kubeconfig`,
        `known contexts: ${this.kubeConfig.getContexts().map((c) => c.name).join(', ') || '(none)'}; ` +
          'fix the context names in the kubernetes binding, or point KUBECONFIG at the right file',
      );
    }
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: this.kubeConfig.getClusters(),
      users: this.kubeConfig.getUsers(),
      contexts: this.kubeConfig.getContexts(),
      currentContext: context,
    });
    const client: ContextClient = {
      context,
      custom: kc.makeApiClient(CustomObjectsApi),
      core: kc.makeApiClient(CoreV1Api),
      authz: kc.makeApiClient(AuthorizationV1Api),
      watch: new Watch(kc),
    };
    this.clients.set(context, client);
    return client;
  }
}
