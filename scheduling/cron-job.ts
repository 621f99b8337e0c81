import { loadDurationMs, type Scenario } from '../core/index.ts';

/** What the CronJob needs besides the experiment. Every field is a `faultline schedule` flag. */
export interface CronJobOptions {
  /** Object names: `faultline-<scenario>`, cut to CronJob's 52 characters. */
  name: string;
  namespace: string;
  cron: string;
  timeZone?: string;
  image: string;
  /** Where faultline reads SLOs, as this pod reaches it. */
  prometheusUrl: string;
  /** Where the k6 runner pods remote-write. Default: `prometheusUrl`. */
  prometheusUrlInCluster?: string;
  /** Kube contexts of the binding this pod reaches with its own ServiceAccount (the cluster it runs in). */
  contextsHere: string[];
  /** A Secret (key `config`) with a kubeconfig for the binding's other contexts. */
  kubeconfigSecret?: string;
  allowProductionLike: boolean;
  configMap: string;
  resultsClaim: string;
  labels: Record<string, string>;
}

/** Where things live in the pod. The results volume is also the working folder, so the ledger survives the pod. */
export const POD_PATHS = { experiment: '/etc/faultline/experiment', results: '/results', kubeconfigSecret: '/etc/faultline/kubeconfig' } as const;

/**
 * The script the pod runs: a kubeconfig that maps the binding's contexts for this cluster to the pod's own
 * ServiceAccount (deploy/rbac/, nothing more), the run with JUnit and Allure results kept on the volume, then the
 * Allure report regenerated with the history of every earlier run. The run's exit code is the Job's.
 */
export function podScript(o: CronJobOptions): string {
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  const contexts = o.contextsHere.map((c) => `- name: ${c}\n  context: {cluster: in-cluster, user: faultline}`).join('\n');
  const kubeconfig = [`${POD_PATHS.results}/.kubeconfig`, ...(o.kubeconfigSecret ? [`${POD_PATHS.kubeconfigSecret}/config`] : [])].join(':');
  const flags = [
    `--target k8s`,
    `--prometheus "$FAULTLINE_PROMETHEUS"`,
    ...(o.prometheusUrlInCluster ? [`--prometheus-in-cluster "$FAULTLINE_PROMETHEUS_IN_CLUSTER"`] : []),
    ...(o.allowProductionLike ? ['--allow-production-like'] : []),
    `--junit "$out/junit.xml"`,
    `--allure-results "$out/allure-results"`,
    `--summary "$out/summary.md"`,
  ].join(' ');
  return [
    'set -u',
    'run="$(date -u +%Y%m%dT%H%M%SZ)"',
    `out="${POD_PATHS.results}/runs/$run"`,
    'mkdir -p "$out"',
    `cat > ${POD_PATHS.results}/.kubeconfig <<EOF`,
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: in-cluster',
    `  cluster: {server: "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT", certificate-authority: ${sa}/ca.crt}`,
    'users:',
    '- name: faultline',
    `  user: {token-file: ${sa}/token}`,
    'contexts:',
    contexts,
    `current-context: ${o.contextsHere[0]}`,
    'EOF',
    `export KUBECONFIG=${kubeconfig} FAULTLINE_SESSION_DIR="$out"`,
    `faultline run -f ${POD_PATHS.experiment}/experiment.yaml ${flags} > "$out/verdict.txt"`,
    'code=$?',
    'cat "$out/verdict.txt"',
    `faultline report --results "$out/allure-results" --out ${POD_PATHS.results}/allure-report || echo "faultline: the Allure report was not regenerated; the results are in $out"`,
    'echo "faultline: exit $code"',
    'exit $code',
  ].join('\n');
}

/** A scheduled game day: one Job per `cron`, never two at once, never retried (a chaos run is not idempotent). */
export function cronJob(scenario: Scenario, o: CronJobOptions): object {
  const deadline = Math.ceil(loadDurationMs(scenario) / 1000) + 900;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: {
      schedule: o.cron,
      ...(o.timeZone && { timeZone: o.timeZone }),
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
      jobTemplate: {
        metadata: { labels: o.labels },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: deadline,
          template: {
            metadata: { labels: o.labels },
            spec: {
              serviceAccountName: 'faultline',
              restartPolicy: 'Never',
              // SIGTERM reverts every fault; give the reverts time before the kubelet's SIGKILL.
              terminationGracePeriodSeconds: 120,
              securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
              containers: [
                {
                  name: 'faultline',
                  image: o.image,
                  command: ['/bin/sh', '-c', podScript(o)],
                  workingDir: POD_PATHS.results,
                  env: [
                    { name: 'FAULTLINE_PROMETHEUS', value: o.prometheusUrl },
                    ...(o.prometheusUrlInCluster ? [{ name: 'FAULTLINE_PROMETHEUS_IN_CLUSTER', value: o.prometheusUrlInCluster }] : []),
                  ],
                  resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1536Mi' } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  volumeMounts: [
                    { name: 'experiment', mountPath: POD_PATHS.experiment, readOnly: true },
                    { name: 'results', mountPath: POD_PATHS.results },
                    { name: 'tmp', mountPath: '/tmp' },
                    ...(o.kubeconfigSecret ? [{ name: 'kubeconfig', mountPath: POD_PATHS.kubeconfigSecret, readOnly: true }] : []),
                  ],
                },
              ],
              volumes: [
                { name: 'experiment', configMap: { name: o.configMap } },
                { name: 'results', persistentVolumeClaim: { claimName: o.resultsClaim } },
                { name: 'tmp', emptyDir: {} },
                ...(o.kubeconfigSecret ? [{ name: 'kubeconfig', secret: { secretName: o.kubeconfigSecret } }] : []),
              ],
            },
          },
        },
      },
    },
  };
}
