import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base } from '@playwright/test';
import { labDown, labUp, type LabState } from '../../../lab/index.ts';
import { requireTopology } from '../../../targets/index.ts';
import { runCli } from '../../support/faultline-cli.ts';

/** The safety tests' own lab: ports 22000-22099, its own run folder, because these tests break its components on purpose. */
export const SAFETY_PORT_BASE = 22000;
export const SAFETY_RUN_DIR = resolve('.faultline', 'safety-lab');

/**
 * For a CLI run whose fault must stay applied until the test ends it. A jkt↔bdg partition fails bdg's writes (20 % of
 * its requests on average), and at 10 requests/s a 1 s window now and then holds more writes than reads: the default
 * 0.5 availability guardrail then reverts the fault, some runs and not others (a CI run saw 6 writes among 14). These
 * tests are about the lease, the safety net and sick dependencies, so their fault is held through it.
 */
export const HOLD_THROUGH_GUARDRAILS = ['--abort-below', '0'];

/** A lab the tests may break; `relaunch()` takes it down and up again after a test that broke it for good. */
export class SafetyLab {
  #state?: LabState;

  get state(): LabState {
    if (!this.#state) throw new Error('the safety lab is not up');
    return this.#state;
  }

  async up(): Promise<LabState> {
    const { topology, lab: binding } = requireTopology('tri-region-tgw');
    const up = await labUp({ topology, binding: binding!, portBase: SAFETY_PORT_BASE, runDir: SAFETY_RUN_DIR, log: (l) => process.stdout.write(`[safety lab] ${l}\n`) });
    this.#state = up.state;
    return up.state;
  }

  async down(): Promise<void> {
    this.#state = undefined;
    await labDown({ runDir: SAFETY_RUN_DIR });
  }

  async relaunch(): Promise<LabState> {
    await this.down();
    return this.up();
  }
}

export const test = base.extend<{ session: string }, { safetyLab: SafetyLab }>({
  safetyLab: [
    async ({}, use) => {
      const lab = new SafetyLab();
      await lab.up();
      try {
        await use(lab);
      } finally {
        await lab.down();
      }
    },
    { scope: 'worker', timeout: 3 * 60_000 },
  ],
  /** A fresh session folder (journals, k6 output, request streams) per test, cleaned of leftover faults after. */
  session: async ({ safetyLab }, use) => {
    await use(mkdtempSync(join(tmpdir(), 'faultline-safety-')));
    // Whatever a failed assertion left behind must not leak into the next test.
    await runCli(['cleanup', '--run-dir', SAFETY_RUN_DIR]);
  },
});

export { expect } from '@playwright/test';
