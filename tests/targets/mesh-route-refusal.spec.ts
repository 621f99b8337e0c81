import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { checkCatalogueFault } from '../../chaos/lab/catalogue-faults.ts';
import { routeCleanConfig, routeFile, type LabSnapshot, type LabState } from '../../lab/contract/index.ts';

// Seed 004's route proxy fronts one service (core-services in aws-primary): an HTTP fault on that route is accepted,
// one aimed at another service of the same region is refused, since the proxy could only ever hit core-services.
// Files only: the checks read the route files the lab writes, and nothing here starts a process.
test('a route proxy that fronts one service accepts faults on it and refuses any other service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-mesh-route-'));
  try {
    mkdirSync(join(dir, 'routes'));
    writeFileSync(routeFile(dir, 'aws-primary'), routeCleanConfig());
    const lab = {
      state: { routeProxy: { region: 'aws-primary', service: 'core-services', pid: 1, dir, reload: [], routes: [{ from: 'aws-primary', port: 19826 }] } } as unknown as LabState,
      services: [],
    } satisfies LabSnapshot;
    const fault = (service: string) => ({ kind: 'httpFault' as const, from: 'aws-primary', service, region: 'aws-primary', share: 0.3, abort: 503 });
    expect(() => checkCatalogueFault(fault('core-services'), lab)).not.toThrow();
    expect(() => checkCatalogueFault(fault('auth-services'), lab)).toThrow(/route proxy fronts core-services in aws-primary .* not aws-primary → auth-services@aws-primary/);
    expect(() => checkCatalogueFault({ ...fault('core-services'), from: 'gcp-dr' }, lab)).toThrow(/selector matched nothing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
