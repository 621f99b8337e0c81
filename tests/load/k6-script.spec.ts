import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LoadProfile } from '../../core/index.ts';
import { buildK6Options, GAMEDAY_SCRIPT, K6_CONFIG_ENV, k6Binary, parseK6Summary, SUMMARY_MARKER, type K6ScriptConfig } from '../../load/index.ts';
import { IngressStub } from './ingress-stub.ts';

const run = promisify(execFile);

test("the k6 script type-checks against k6's own types (the main tsconfig leaves it out)", async () => {
  const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
  const project = new URL('../../load/k6/tsconfig.json', import.meta.url).pathname;
  await expect(run(process.execPath, [tsc, '-p', project])).resolves.toBeTruthy();
});

// Port 19540 (the load area's range).
test('with the config inline and no summary path, the summary goes to stdout after a marker', async () => {
  await using stub = await IngressStub.start({ jkt: 19540 });
  const profile: LoadProfile = { regions: { jkt: { executor: 'constant-arrival-rate', rate: 10 } }, writeRatio: 0.5 };
  const config: K6ScriptConfig = {
    options: { ...buildK6Options(profile, { durationMs: 2_000 }) },
    ingress: stub.urls,
    writeRatio: profile.writeRatio,
    requestTimeoutMs: 1_000,
    itemCount: 10,
  };
  // The way an in-cluster run (k6-operator) gets it: one environment variable, the summary read from the pod log.
  const { stdout } = await run(k6Binary(), ['run', '--quiet', '--no-color', '--no-usage-report', GAMEDAY_SCRIPT], {
    env: { ...process.env, [K6_CONFIG_ENV]: JSON.stringify(config) },
  });
  const line = stdout.split('\n').find((l) => l.startsWith(SUMMARY_MARKER));
  expect(line).toBeDefined();
  const summary = parseK6Summary(JSON.parse(line!.slice(SUMMARY_MARKER.length)), { profile });
  expect(summary.regions[0]).toMatchObject({ region: 'jkt', requests: stub.count('jkt'), failed: 0, droppedIterations: 0 });
  expect(stub.count('jkt')).toBeGreaterThanOrEqual(19);
});

test('the summary parser refuses data without per-region figures, saying how to get them', () => {
  const profile: LoadProfile = { regions: { jkt: { executor: 'constant-vus', vus: 1 } }, writeRatio: 0 };
  expect(() => parseK6Summary({ metrics: { http_reqs: { values: { count: 3 } } } }, { profile })).toThrow(/no "http_reqs\{region:jkt\}"[\s\S]*buildK6Options/);
  expect(() => parseK6Summary('not json data', { profile })).toThrow(/not k6 handleSummary data/);
});
