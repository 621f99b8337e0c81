import type { RunOutcome } from './journal.ts';
import type { LoadSummary } from './load-runner.ts';
import type { SloResult } from './slo.ts';
import type { RunWindows } from './slo-judge.ts';

export interface RunResult {
  runId: string;
  scenario: string;
  outcome: RunOutcome;
  exitCode: number;
  /** One sentence: why the outcome is what it is. */
  reason: string;
  slos: SloResult[];
  windows?: RunWindows;
  load?: LoadSummary;
  journalPath: string;
}
