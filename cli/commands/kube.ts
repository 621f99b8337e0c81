import { ExitCode, FaultlineError } from '../../core/index.ts';
import { formatKubeStatus, kubeDown, kubeStatus, kubeUp, KUBE_PORT_BASE, KUBE_RUN_DIR } from '../../kube/index.ts';
import { requireTopology } from '../../targets/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const HELP = `faultline kube: real Kubernetes control planes on 127.0.0.1, one per kube context of a binding, with the real
Chaos Mesh controller. For trying --target k8s (run, inject, cleanup) without a cloud account, and for the tests.

Usage:
  faultline kube up     [--topology NAME] [--port-base N] [--run-dir DIR]
  faultline kube status [--run-dir DIR] [--json]
  faultline kube down   [--run-dir DIR]

  up      For each context of the topology's Kubernetes binding (three for tri-region-tgw: eks-jakarta,
          eks-bandung, eks-surabaya) starts kube-apiserver (RBAC, TLS, ServiceAccount tokens),
          kube-controller-manager, kube-scheduler, kwok (fake nodes: pods become Running without containers) and
          Chaos Mesh's chaos-controller-manager with its admission webhooks; one etcd holds all clusters under
          separate prefixes. Installs every Chaos Mesh CRD and the k6-operator TestRun CRD, applies deploy/rbac/,
          deploys the workloads the binding selects (service-main, service-backup, cache, database pods) and waits
          until every pod is Running. Writes two kubeconfigs: <run-dir>/kubeconfig holds the faultline
          ServiceAccount's tokens (least privilege, exactly deploy/rbac/), <run-dir>/admin.kubeconfig an
          administrator's certificate. Takes 20-40 s once \`npm run setup\` has built the binaries.
  status  Probes every process, each API server's /readyz, nodes, pods and Chaos Mesh objects.
          Exits 0 when all is healthy, 2 otherwise.
  down    Stops every process by pid (controllers first, etcd last) and waits until no process and no port is
          left. Removes the cluster data; keeps certificates, kubeconfigs and logs (<run-dir>/logs).

What is real and what is not: the API servers, etcd, controllers, scheduler and Chaos Mesh's controller and
webhooks are the real programs. There are no kubelets and no containers (kwok plays the nodes), no chaos-daemon
(so NetworkChaos, StressChaos, IOChaos… are admitted and reconciled but never injected) and no k6-operator
(TestRun objects are validated by the API server, but no runner pod ever starts).

Options:
  --topology NAME   whose Kubernetes binding to bring up (default: tri-region-tgw)
  --port-base N     first port (default: ${KUBE_PORT_BASE}): etcd +0 and +1; cluster N from +100+20N: API server +0,
                    controller-manager +1, scheduler +2, kwok +3, Chaos Mesh webhook +4 and metrics +5
  --run-dir DIR     certificates, kubeconfigs, etcd data and logs (default: ${KUBE_RUN_DIR})
  --json            status: machine-readable output

Examples:
  faultline kube up
  export KUBECONFIG=$PWD/.faultline/kube/kubeconfig
  faultline inject pod-kill jkt/service-main --target k8s --for 30s
  faultline cleanup --target k8s
  faultline kube status --json
  faultline kube down
`;

export const command: Command = {
  name: 'kube',
  summary: 'loopback Kubernetes control planes (one per context) with the real Chaos Mesh: up, status, down',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('kube', argv, {
      topology: { type: 'string', default: 'tri-region-tgw' },
      'port-base': { type: 'string' },
      'run-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const [action, ...extra] = positionals;
    if (!action || !['up', 'down', 'status'].includes(action) || extra.length) {
      throw new FaultlineError('FAULTLINE_BAD_INPUT', `kube needs one action: up, status or down${action ? ` (got "${[action, ...extra].join(' ')}")` : ''}`, 'see: faultline kube --help');
    }
    const out = (line: string) => process.stdout.write(line + '\n');
    const runDir = values['run-dir'];

    if (action === 'up') {
      const targets = requireTopology(values.topology);
      if (!targets.kubernetes) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${values.topology}" has no Kubernetes binding`, 'add one under targets/<topology>/kubernetes.ts');
      if (values['port-base'] !== undefined && !/^\d+$/.test(values['port-base'])) {
        throw new FaultlineError('FAULTLINE_BAD_INPUT', `--port-base must be a port number, got "${values['port-base']}"`, `for example --port-base ${KUBE_PORT_BASE}`);
      }
      const controller = new AbortController();
      const onInterrupt = () => {
        out('interrupted: stopping what was started…');
        controller.abort();
      };
      process.once('SIGINT', onInterrupt);
      process.once('SIGTERM', onInterrupt);
      try {
        const result = await kubeUp({
          binding: targets.kubernetes,
          runDir,
          portBase: values['port-base'] === undefined ? undefined : Number(values['port-base']),
          log: out,
          signal: controller.signal,
        });
        const status = await kubeStatus({ runDir: result.state.runDir });
        out(formatKubeStatus(status).trimEnd());
        if (result.started) out(`next: export KUBECONFIG=${result.state.kubeconfig} · faultline run jkt-pod-loss --target k8s --dry-run · faultline kube down`);
        return status.healthy ? ExitCode.ok : ExitCode.preflight;
      } finally {
        process.off('SIGINT', onInterrupt);
        process.off('SIGTERM', onInterrupt);
      }
    }
    if (action === 'status') {
      const status = await kubeStatus({ runDir });
      process.stdout.write(values.json ? JSON.stringify(status, null, 2) + '\n' : formatKubeStatus(status));
      return status.healthy ? ExitCode.ok : ExitCode.preflight;
    }
    await kubeDown({ runDir, log: out });
    return ExitCode.ok;
  },
};
