import { defineConfig } from '@playwright/test';

/**
 * Two projects:
 * - `harness`: faultline's own tests, against real components it starts on loopback (tests/).
 * - `gameday`: the game-day suites against the embedded lab (scenarios/).
 * Everything runs serially: the lab's processes and ports are one shared, real environment.
 */
const resultsDir = process.env.FAULTLINE_ALLURE_RESULTS ?? 'allure-results';

export default defineConfig({
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [
    ['list'],
    ['junit', { outputFile: process.env.FAULTLINE_JUNIT ?? 'test-results/junit.xml' }],
    ['allure-playwright', { resultsDir, detail: false, suiteTitle: false }],
  ],
  use: {
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download cannot reach the network here.
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
    },
  },
  projects: [
    { name: 'harness', testDir: 'tests', timeout: 5 * 60_000 },
    {
      name: 'gameday',
      testDir: 'scenarios',
      timeout: 15 * 60_000,
      // The negative suite must fail by design; it runs only when asked (faultline gameday --negative).
      grepInvert: process.env.FAULTLINE_INCLUDE_NEGATIVE ? undefined : /@negative/,
    },
  ],
});
