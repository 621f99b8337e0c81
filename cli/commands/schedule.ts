import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExitCode, FaultlineError } from '../../core/index.ts';
import { displayPath, loadExperiment } from '../../experiments/index.ts';
import { scheduleManifests, scheduleYaml } from '../../scheduling/index.ts';
import { faultlineVersion } from '../../reports/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

const HELP = `faultline schedule: run an experiment file on a cron inside a cluster, as a Kubernetes CronJob.

Usage: faultline schedule -f experiment.yaml --prometheus URL [options] > gameday.yaml
       kubectl apply -f gameday.yaml

Prints (or writes with --out) every manifest the cluster needs, and sends nothing anywhere:
  - Namespace and ServiceAccount faultline, with the rights of deploy/rbac/ and no more: the chaos ClusterRole bound
    per namespace of the binding's allowedNamespaces, the load Role in each region's load namespace;
  - a ConfigMap holding the experiment file as written (and its topology file);
  - a PersistentVolumeClaim keeping every run's JUnit, Allure results and verdict, the Allure report with its
    history across runs (trend, resilience-score trend), and the fault ledger;
  - the CronJob: concurrencyPolicy Forbid, never retried (backoffLimit 0), runs \`faultline run -f … --target k8s\`
    as that ServiceAccount, then \`faultline report\`; the Job's exit code is the run's (see faultline --help);
  - with schedule.background in the file: one Chaos Mesh Schedule per background fault and region cluster, the same
    resource the driver would create, recurring on its own cron.
The cron comes from the file's schedule.cron (or --cron): five fields or @daily/@weekly/@hourly…; an invalid one is
refused with exit 2. The image must hold faultline and k6: build it from deploy/docker/Dockerfile.

Options:
  -f, --file FILE          the experiment file (required; its topology must have a Kubernetes binding)
  --cron EXPR              overrides schedule.cron, e.g. "0 3 * * 1" (Mondays 03:00)
  --time-zone TZ           IANA zone of the cron, e.g. Asia/Jakarta (default: schedule.timeZone, else the cluster's)
  --prometheus URL         the Prometheus SLOs are read from, as the pod reaches it (required)
  --prometheus-in-cluster URL  where the k6 runner pods remote-write (default: --prometheus)
  --namespace NS           where the CronJob runs (default: faultline)
  --image IMAGE            the faultline image (default: faultline:<version>; push yours and name it here)
  --context-here CTX       a binding context this cluster serves, reached with the pod's ServiceAccount; repeat
                           (default: the binding's only context)
  --kubeconfig-secret NAME a Secret with key "config": a kubeconfig for the binding's other contexts
  --results-size SIZE      size of the results volume (default: 1Gi)
  --storage-class NAME     storage class of the results volume (default: the cluster's default)
  --allow-production-like  allow faults on a binding marked productionLike (refused at preflight otherwise)
  --out FILE               write the manifests to FILE instead of stdout

Examples:
  faultline schedule -f docs/examples/experiments/tri-region-tgw/jkt-pod-loss.yaml --cron "0 3 * * 1" \\
    --prometheus http://prometheus.monitoring.svc:9090 --context-here eks-jakarta --kubeconfig-secret faultline-kubeconfig
`;

export const command: Command = {
  name: 'schedule',
  summary: 'print a Kubernetes CronJob (+ RBAC, ConfigMap, results volume, Chaos Mesh Schedules) that runs an experiment file on a cron',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('schedule', argv, {
      file: { type: 'string', short: 'f' },
      cron: { type: 'string' },
      'time-zone': { type: 'string' },
      prometheus: { type: 'string' },
      'prometheus-in-cluster': { type: 'string' },
      namespace: { type: 'string', default: 'faultline' },
      image: { type: 'string', default: `faultline:${faultlineVersion()}` },
      'context-here': { type: 'string', multiple: true },
      'kubeconfig-secret': { type: 'string' },
      'results-size': { type: 'string', default: '1Gi' },
      'storage-class': { type: 'string' },
      'allow-production-like': { type: 'boolean', default: false },
      out: { type: 'string' },
    });
    if (positionals.length) throw new FaultlineError('FAULTLINE_BAD_INPUT', `unexpected argument "${positionals[0]}"`, 'the experiment is given with -f FILE; see: faultline schedule --help');
    if (!values.file) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'no experiment file', 'add -f experiment.yaml; see: faultline schedule --help');
    if (!values.prometheus) throw new FaultlineError('FAULTLINE_BAD_INPUT', 'a scheduled run needs the Prometheus its SLOs are read from', 'add --prometheus http://prometheus.monitoring.svc:9090 (as the CronJob pod reaches it)');
    const loaded = loadExperiment(values.file);
    const manifests = scheduleManifests(loaded, {
      ...(values.cron !== undefined && { cron: values.cron }),
      ...(values['time-zone'] && { timeZone: values['time-zone'] }),
      namespace: values.namespace,
      image: values.image,
      prometheusUrl: values.prometheus,
      ...(values['prometheus-in-cluster'] && { prometheusUrlInCluster: values['prometheus-in-cluster'] }),
      ...(values['context-here'] && { contextsHere: values['context-here'] }),
      ...(values['kubeconfig-secret'] && { kubeconfigSecret: values['kubeconfig-secret'] }),
      resultsSize: values['results-size'],
      ...(values['storage-class'] && { storageClass: values['storage-class'] }),
      allowProductionLike: values['allow-production-like'],
    });
    const text = scheduleYaml(manifests, `experiment "${loaded.scenario.name}" from ${displayPath(loaded.file)}`);
    if (values.out) {
      mkdirSync(dirname(resolve(values.out)), { recursive: true });
      writeFileSync(values.out, text);
      process.stderr.write(`wrote ${displayPath(resolve(values.out))}: apply it with kubectl apply -f ${values.out}\n`);
    } else process.stdout.write(text);
    return ExitCode.ok;
  },
};
