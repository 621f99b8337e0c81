import { FaultlineError } from '../../core/index.ts';
import { createChaos } from './chaos-lifecycle.ts';
import type { KubeClients } from './kube-clients.ts';
import type { KubernetesBinding } from './kubernetes-binding.ts';
import { MANAGED_BY, MANAGED_BY_LABEL } from './names.ts';
import { podChaos } from './pod-chaos.ts';

/** What the API server says when Chaos Mesh's webhook server (its controller-manager) does not answer. */
const WEBHOOK_DOWN = /failed calling webhook|webhook.*(connection refused|no endpoints available|context deadline exceeded|i\/o timeout|EOF)/i;

/**
 * Chaos Mesh's controller-manager is the TTL on Kubernetes: it ends every chaos resource when its `duration` passes,
 * whether faultline is alive or not. It also serves Chaos Mesh's admission webhooks, so a server-side dry-run create of
 * a probe resource answers whether it is up, in each context, without creating anything. A controller that answers
 * its webhook but no longer reconciles is not caught here.
 */
export async function controllerProblems(binding: KubernetesBinding, clients: KubeClients): Promise<FaultlineError[]> {
  const namespace = binding.allowedNamespaces[0];
  if (!namespace) return [];
  const contexts = [...new Set(Object.values(binding.regions).map((r) => r.context))];
  const probe = podChaos(
    { name: 'faultline-controller-probe', namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    { action: 'pod-failure', target: { selector: { namespaces: [namespace], labelSelectors: { 'faultline.io/probe': 'matches-nothing' } }, selection: { mode: 'one' } }, duration: '1s' },
  );
  const found = await Promise.all(
    contexts.map(async (context) => {
      try {
        await createChaos(clients.get(context), probe, true);
        return [];
      } catch (e) {
        const message = (e as Error).message;
        if (!WEBHOOK_DOWN.test(message)) return []; // anything else is the fault checks' to report
        return [
          new FaultlineError(
            'FAULTLINE_WATCHDOG_DOWN',
            `Chaos Mesh's controller-manager does not answer in context "${context}" (its admission webhook is down): it ends every chaos resource when its duration passes, so a fault left by a killed harness would not end; none is injected`,
            `check it: kubectl --context ${context} -n chaos-mesh get pods (or its logs); the API server said: ${message.split('\n')[0]}`,
          ),
        ];
      }
    }),
  );
  return found.flat();
}
