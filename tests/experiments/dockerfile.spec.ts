import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadExperiment } from '../../experiments/index.ts';
import { scheduleManifests } from '../../scheduling/index.ts';
import { exampleExperiments, ROOT } from './support.ts';

/*
 * The faultline image cannot be built here (no container engine), so what can be checked without building it is:
 * it builds the k6 setup.sh pins, it copies every folder the CLI loads at run time (a missing one would only show
 * as an import error inside the cluster), and it runs as the user the CronJob expects.
 */
const dockerfile = readFileSync(join(ROOT, 'deploy', 'docker', 'Dockerfile'), 'utf8');

test('the image builds the same k6 module and version as scripts/setup.sh', () => {
  const setup = /^K6_MODULE="([^"]+)"/m.exec(readFileSync(join(ROOT, 'scripts', 'setup.sh'), 'utf8'))?.[1];
  expect(setup).toBeDefined();
  expect(dockerfile).toContain(`ARG K6_MODULE=${setup}`);
});

test('the image copies every folder of runtime code (each folder with a DEPS.list that is not development-only)', () => {
  const copied = [...dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)].map((m) => m[1]!);
  const runtime = readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(ROOT, e.name, 'DEPS.list')))
    .filter((e) => !/^dev$/m.test(readFileSync(join(ROOT, e.name, 'DEPS.list'), 'utf8')))
    .map((e) => e.name);
  expect(runtime.length).toBeGreaterThan(5);
  for (const folder of runtime) expect(copied, `deploy/docker/Dockerfile does not COPY ${folder}/`).toContain(folder);
  for (const path of copied) expect(existsSync(join(ROOT, path)), `COPY ${path}: no such path`).toBe(true);
});

test('the image runs as the user and entrypoint the scheduled CronJob expects', () => {
  const job = scheduleManifests(loadExperiment(exampleExperiments().find((f) => f.endsWith('jkt-pod-loss.yaml'))!), {
    cron: '@daily',
    namespace: 'faultline',
    image: 'faultline:test',
    prometheusUrl: 'http://p:9090',
    contextsHere: ['eks-jakarta'],
    kubeconfigSecret: 'k',
    resultsSize: '1Gi',
    allowProductionLike: false,
  }).cluster.find((o) => (o as { kind: string }).kind === 'CronJob') as {
    spec: { jobTemplate: { spec: { template: { spec: { securityContext: { runAsUser: number }; containers: { command: string[] }[] } } } } };
  };
  const pod = job.spec.jobTemplate.spec.template.spec;
  expect(dockerfile).toMatch(new RegExp(`^USER ${pod.securityContext.runAsUser}$`, 'm'));
  expect(dockerfile).toContain('ln -s /opt/faultline/bin/faultline.mjs /usr/local/bin/faultline');
  expect(pod.containers[0]!.command.join(' ')).toContain('faultline run -f');
});
