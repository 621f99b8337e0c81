import { viewRun } from './run-view.ts';
import type { JournalEntry } from '../core/index.ts';
import { writeCategories } from './categories.ts';
import { environmentFromJournals, writeEnvironment, type EnvironmentInfo } from './environment.ts';
import { formatScore, scoreGameDays } from './resilience-score.ts';
import { writeScores } from './score-trend.ts';

/**
 * Writes the results-dir files Allure reads besides the test results: `categories.json` (always the same),
 * `environment.properties` (merged, so every game day sharing the dir adds its run; with each topology's resilience
 * score) and the scores the report's trend is extended with. Call it with every journal whose results are in the dir.
 */
export function writeResultsExtras(
  resultsDir: string,
  journals: readonly (readonly JournalEntry[])[],
  info: EnvironmentInfo = {},
): { categories: string; environment: string; scores: string } {
  const topologies = scoreGameDays(journals.map((j) => viewRun(j))).topologies;
  const scoreEntries = Object.fromEntries(topologies.map((t) => [`resilience.score.${t.topology}`, formatScore(t.score)]));
  return {
    categories: writeCategories(resultsDir),
    environment: writeEnvironment(resultsDir, { ...environmentFromJournals(journals, info), ...scoreEntries }),
    scores: writeScores(resultsDir, journals),
  };
}
