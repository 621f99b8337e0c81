import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadExperiment } from '../../experiments/index.ts';
import { scheduleManifests, type ScheduleOptions } from '../../scheduling/index.ts';
import { exampleExperiments } from '../experiments/support.ts';
import { expect, test } from '../support/loopback-kube.ts';

/*
 * `faultline schedule`'s output against real Kubernetes software: every object it prints is sent to the loopback
 * clusters' real API servers as a server-side dry run with strict field validation (so an unknown field, a wrong
 * type or a bad cron is the API server's verdict, not our reading of the schema), and every background Chaos Mesh
 * Schedule also passes the real Chaos Mesh admission webhooks. A dry run persists nothing, so the shared clusters
 * are left as they were.
 */

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };

const options: ScheduleOptions = {
  namespace: 'faultline',
  image: 'registry.example/faultline:0.1.0',
  prometheusUrl: 'http://prometheus.monitoring.svc:9090',
  contextsHere: ['eks-jakarta'],
  kubeconfigSecret: 'faultline-kubeconfig',
  resultsSize: '1Gi',
  allowProductionLike: false,
};

/**
 * Sends one object as raw JSON, a server-side dry run with strict field validation. Raw, because client-node's typed
 * clients serialize through their models and would silently drop an unknown field before the API server saw it.
 * An object deploy/rbac/ already put there (409) is dry-run replaced instead.
 */
async function dryRun(kc: KubeConfig, o: Obj): Promise<void> {
  const server = kc.getCurrentCluster()!.server;
  const ns = o.metadata.namespace;
  const collection = `${o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`}${ns ? `/namespaces/${ns}` : ''}/${o.kind.toLowerCase()}s`;
  const query = '?dryRun=All&fieldValidation=Strict';
  const created = await send(kc, 'POST', `${server}${collection}${query}`, o);
  if (created.status === 409) {
    const replaced = await send(kc, 'PUT', `${server}${collection}/${o.metadata.name}${query}`, o);
    if (replaced.status >= 300) throw Object.assign(new Error(replaced.body), { code: replaced.status, body: replaced.body });
  } else if (created.status >= 300) {
    throw Object.assign(new Error(created.body), { code: created.status, body: created.body });
  }
}

async function send(kc: KubeConfig, method: string, url: string, body: unknown): Promise<{ status: number; body: string }> {
  const options: RequestOptions = { method, headers: { 'content-type': 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function reason(e: unknown): string {
  const err = e as { code?: number; body?: unknown; message?: string };
  return `${err.code ?? ''} ${err.body ?? err.message}`;
}

test('every object faultline schedule prints is accepted by the real API server, and its Schedules by the real Chaos Mesh webhooks', async ({ kube }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-schedule-kube-'));
  try {
    const file = join(dir, 'scheduled.yaml');
    const example = readFileSync(exampleExperiments().find((f) => f.endsWith('jkt-pod-loss.yaml'))!, 'utf8');
    writeFileSync(file, example + [
      'schedule:',
      '  cron: "0 3 * * 1"',
      '  timeZone: Asia/Jakarta',
      '  background:',
      '    - { kind: cacheLoss, region: bdg, for: 1m, cron: "*/30 * * * *" }',
      '    - { kind: partition, regions: [jkt, sby], for: 30s, cron: "15 * * * *" }',
      '',
    ].join('\n'));
    const m = scheduleManifests(loadExperiment(file), options);
    const here = kube.admin('eks-jakarta');
    for (const o of m.cluster as Obj[]) {
      await dryRun(here, o).catch((e: unknown) => {
        throw new Error(`${o.kind} ${o.metadata.name} was refused by the API server: ${reason(e)}`);
      });
    }
    expect(m.background.length).toBeGreaterThan(0);
    for (const b of m.background) {
      await dryRun(kube.admin(b.context), b.schedule as Obj).catch((e: unknown) => {
        throw new Error(`Schedule ${b.schedule.metadata.name} was refused in ${b.context}: ${reason(e)}`);
      });
    }

    // The same path refuses what is wrong, so the passes above are the API server's word: an unknown field in the
    // CronJob (strict validation), and a Schedule whose embedded chaos the Chaos Mesh webhook rejects.
    const job = structuredClone((m.cluster as Obj[]).find((o) => o.kind === 'CronJob')!);
    (job.spec as Record<string, unknown>).scheduel = job.spec!.schedule;
    await expect(dryRun(here, job)).rejects.toMatchObject({ code: 400 });
    const bad = structuredClone(m.background[0]!.schedule) as Obj;
    const chaosField = Object.keys(bad.spec!).find((k) => k.endsWith('Chaos'))!;
    (bad.spec![chaosField] as Record<string, unknown>).mode = 'fixed-percent';
    (bad.spec![chaosField] as Record<string, unknown>).value = '250';
    const refused = await dryRun(kube.admin(m.background[0]!.context), bad).then(() => undefined, (e: unknown) => e);
    expect(refused, 'a fixed-percent of 250 must be refused').toBeDefined();
    expect(reason(refused)).toMatch(/value|percent|250/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
