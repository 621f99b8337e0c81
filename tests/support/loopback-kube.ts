import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import type { KubeConfig } from '@kubernetes/client-node';
import { adminKubeConfig, kubeDown, kubeUp, loadKubeConfig, type KubeState, type KubeUpResult } from '../../kube/index.ts';
import { triRegionTgwKubernetes } from '../../targets/tri-region-tgw/kubernetes.ts';

/** The tests' own range inside 16000-16999; a developer's `faultline kube up` keeps 16000-16099…16199. */
export const TEST_KUBE_PORT_BASE = 16_500;

export interface LoopbackKube {
  up: KubeUpResult;
  state: KubeState;
  /** faultline's least-privilege identity: the ServiceAccount token bound only by deploy/rbac/. */
  faultline(): KubeConfig;
  /** An administrator (system:masters), for arranging a test, never for the code under test. */
  admin(context: string): KubeConfig;
}

/**
 * Three real loopback clusters for the seed-003 binding, started once per worker and shared by every test that asks
 * for them (starting takes tens of seconds). Tests must leave them as they found them: no chaos objects, RBAC as
 * shipped, every API server up.
 */
export const test = base.extend<object, { kube: LoopbackKube }>({
  kube: [
    async ({}, use) => {
      const runDir = mkdtempSync(join(tmpdir(), 'faultline-kube-'));
      let up: KubeUpResult | undefined;
      try {
        up = await kubeUp({ binding: triRegionTgwKubernetes, runDir, portBase: TEST_KUBE_PORT_BASE });
        const state = up.state;
        await use({ up, state, faultline: () => loadKubeConfig(state.kubeconfig), admin: (context) => adminKubeConfig(state, { context }) });
      } finally {
        await kubeDown({ runDir });
        rmSync(runDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 240_000 },
  ],
});

export { expect } from '@playwright/test';
