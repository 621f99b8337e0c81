import { BatchV1Api, KubeConfig, type V1Job } from '@kubernetes/client-node';
import type { Runbook, RunbookOutcome } from '../core/index.ts';

type JobRunbook = Extract<Runbook, { kind: 'job' }>;

/** The Job the runbook creates: one pod, no retries (a runbook that failed once must not run twice on its own). */
export function runbookJob(r: JobRunbook, name: string, timeoutMs: number): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: r.namespace, labels: { 'app.kubernetes.io/managed-by': 'faultline', 'faultline.dev/runbook': 'true' } },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: Math.ceil(timeoutMs / 1_000),
      ttlSecondsAfterFinished: 3_600,
      template: {
        metadata: { labels: { 'faultline.dev/runbook': 'true' } },
        spec: {
          restartPolicy: 'Never',
          ...(r.serviceAccountName ? { serviceAccountName: r.serviceAccountName } : {}),
          containers: [{ name: 'runbook', image: r.image, command: r.command }],
        },
      },
    },
  };
}

/** Creates the Job in the region's cluster and waits for it to succeed or fail, polling its status. */
export async function runJob(r: JobRunbook, kubeConfig: KubeConfig, context: string, name: string, timeoutMs: number, signal: AbortSignal): Promise<RunbookOutcome> {
  const startedAt = Date.now();
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: kubeConfig.getClusters(), users: kubeConfig.getUsers(), contexts: kubeConfig.getContexts(), currentContext: context });
  const batch = kc.makeApiClient(BatchV1Api);
  const detail: Record<string, unknown> = { job: `${r.namespace}/${name}`, context };
  try {
    await batch.createNamespacedJob({ namespace: r.namespace, body: runbookJob(r, name, timeoutMs) });
    const deadline = startedAt + timeoutMs;
    for (;;) {
      const job = await batch.readNamespacedJob({ name, namespace: r.namespace });
      const status = job.status ?? {};
      detail.status = { active: status.active ?? 0, succeeded: status.succeeded ?? 0, failed: status.failed ?? 0 };
      if ((status.succeeded ?? 0) > 0) return { ok: true, startedAt, endedAt: Date.now(), detail };
      if ((status.failed ?? 0) > 0) return { ok: false, startedAt, endedAt: Date.now(), detail, error: `Job ${name} failed` };
      if (Date.now() > deadline) return { ok: false, startedAt, endedAt: Date.now(), detail, error: `Job ${name} did not finish within ${timeoutMs} ms` };
      if (signal.aborted) return { ok: false, startedAt, endedAt: Date.now(), detail, error: 'the run was aborted' };
      await new Promise((ok) => setTimeout(ok, 500));
    }
  } catch (e) {
    return { ok: false, startedAt, endedAt: Date.now(), detail, error: `Job ${name}: ${(e as Error).message}` };
  }
}
