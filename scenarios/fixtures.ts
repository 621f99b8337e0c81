import { test as base } from '@playwright/test';
import { Journal, ScenarioBuilder, type LabState, type RunResult, type Scenario } from '../core/index.ts';
import { labDown, labUp } from '../lab/index.ts';
import { applyAllureMetadata, allureLabels, failureMessage, reportAttachments } from '../reports/index.ts';
import { requireTopology } from '../targets/index.ts';
import { runOnLab } from './lab-run.ts';

/** What a game-day test gets: run a scenario on the lab; the test fails, with a categorised message, unless it passes. */
export interface GameDay {
  run(scenario: Scenario | ScenarioBuilder): Promise<RunResult>;
}

const TOPOLOGY = 'tri-region-tgw';

export const test = base.extend<{ gameday: GameDay }, { lab: LabState }>({
  /** The embedded lab, brought up once per worker; left running if it was already up before the tests. */
  lab: [
    async ({}, use) => {
      const { topology, lab: binding } = requireTopology(TOPOLOGY);
      const up = await labUp({ topology, binding: binding!, log: (line) => process.stdout.write(`[lab] ${line}\n`) });
      await use(up.state);
      if (up.started && !process.env.FAULTLINE_KEEP_LAB) await labDown({ runDir: up.state.runDir });
    },
    { scope: 'worker', timeout: 5 * 60_000 },
  ],

  gameday: async ({ lab }, use, testInfo) => {
    const abort = new AbortController();
    const runs: Promise<RunResult>[] = [];
    await use({
      async run(input) {
        const scenario = input instanceof ScenarioBuilder ? input.build() : input;
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
