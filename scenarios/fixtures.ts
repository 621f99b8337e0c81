import { test as base } from '@playwright/test';
import { FaultlineError, Journal, ScenarioBuilder, type RunResult, type Scenario } from '../core/index.ts';
import { join } from 'node:path';
import { labDown, labUp, LAB_FAILOVER_FILE, readJsonFile, type LabFailoverRecord, type LabState } from '../lab/index.ts';
import { applyAllureMetadata, allureLabels, failureMessage, reportAttachments } from '../reports/index.ts';
import { requireTopology } from '../targets/index.ts';
import { runOnLab } from './lab-run.ts';

/** What a game-day test gets: run a scenario on its topology's lab; the test fails, with a categorised message, unless it passes. */
export interface GameDay {
  run(scenario: Scenario | ScenarioBuilder): Promise<RunResult>;
}

/** The topology the `lab` fixture brings up for tests that do not name one. */
export const DEFAULT_LAB_TOPOLOGY = 'tri-region-tgw';

/**
 * The embedded labs of one worker, brought up on first use. One at a time: a 2-core machine runs one lab well, so
 * asking for another topology's lab stops the previous one (if this worker started it). A lab that was already up
 * before the tests is reused and left running, and FAULTLINE_KEEP_LAB keeps the ones started here too.
 */
export class LabPool {
  #current?: { topology: string; state: LabState; startedHere: boolean };

  async up(topology: string): Promise<LabState> {
    // A lab a failover game day left failed over is another system now: the next game day gets it afresh.
    if (this.#current?.topology === topology && !hasFailedOver(this.#current.state)) return this.#current.state;
    await this.down(this.#current?.topology === topology);
    const { topology: shape, lab: binding } = requireTopology(topology);
    if (!binding) throw new FaultlineError('FAULTLINE_BAD_INPUT', `topology "${topology}" has no lab binding`, 'run its game days on Kubernetes with `faultline run <scenario> --target k8s`');
    const up = await labUp({ topology: shape, binding, log: (line) => process.stdout.write(`[lab ${topology}] ${line}\n`) });
    this.#current = { topology, state: up.state, startedHere: up.started };
    return up.state;
  }

  /** `restart`: stop it even if it was running before the tests (it failed over and must be rebuilt). */
  async down(restart = false): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    if (current && (restart || (current.startedHere && !process.env.FAULTLINE_KEEP_LAB))) await labDown({ runDir: current.state.runDir });
  }
}

/** Whether the lab's runbook moved the active region away from the primary. */
function hasFailedOver(state: LabState): boolean {
  if (!state.activePassive) return false;
  const record = readJsonFile<LabFailoverRecord>(join(state.runDir, LAB_FAILOVER_FILE));
  return record !== undefined && record.active !== state.activePassive.primary;
}

export const test = base.extend<{ gameday: GameDay; lab: LabState }, { labs: LabPool }>({
  labs: [
    async ({}, use) => {
      const pool = new LabPool();
      await use(pool);
      await pool.down();
    },
    { scope: 'worker', timeout: 5 * 60_000 },
  ],

  /** The default topology's lab, for tests that drive it directly. */
  lab: async ({ labs }, use) => {
    await use(await labs.up(DEFAULT_LAB_TOPOLOGY));
  },

  gameday: async ({ labs }, use, testInfo) => {
    const abort = new AbortController();
    const runs: Promise<RunResult>[] = [];
    await use({
      async run(input) {
        const scenario = input instanceof ScenarioBuilder ? input.build() : input;
        const lab = await labs.up(scenario.topology);
        const pending = runOnLab(scenario, {
          runDir: lab.runDir,
          signal: abort.signal,
          // Playwright owns SIGINT in its workers; a Ctrl-C tears this fixture down, which aborts the run below.
          handleSignals: false,
          step: (title, body) => base.step(title, body),
          progress: (line) => process.stdout.write(`${line}\n`),
        });
        runs.push(pending);
        const result = await pending;
        const entries = Journal.read(result.journalPath);
        await applyAllureMetadata(allureLabels(entries));
        for (const a of reportAttachments(entries)) await testInfo.attach(a.name, { body: a.body, contentType: a.contentType });
        const failure = failureMessage(entries);
        if (failure) throw new Error(failure);
        return result;
      },
    });
    // A test that timed out or failed mid-run still gets every fault reverted before the next test starts.
    abort.abort('game-day test ended');
    await Promise.allSettled(runs);
  },
});

export { expect } from '@playwright/test';
