import type { JournalEntry } from '../core/index.ts';
import { writeCategories } from './categories.ts';
import { environmentFromJournals, writeEnvironment, type EnvironmentInfo } from './environment.ts';

/**
 * Writes the results-dir files Allure reads besides the test results: `categories.json` (always the same) and
 * `environment.properties` (merged, so every game day sharing the dir adds its run). Safe to call after each test.
 */
export function writeResultsExtras(
  resultsDir: string,
  journals: readonly (readonly JournalEntry[])[],
  info: EnvironmentInfo = {},
): { categories: string; environment: string } {
  return {
    categories: writeCategories(resultsDir),
    environment: writeEnvironment(resultsDir, environmentFromJournals(journals, info)),
  };
}
