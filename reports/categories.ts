import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURE_PREFIX, type FailureKind } from './failure-message.ts';

/** One entry of Allure 2's `categories.json`. */
export interface AllureCategory {
  name: string;
  description?: string;
  matchedStatuses: ('failed' | 'broken' | 'skipped' | 'passed' | 'unknown')[];
  messageRegex: string;
}

const CATEGORY: Record<FailureKind, { name: string; description: string; skippedToo?: boolean }> = {
  sloBreach: { name: 'SLO breach', description: 'The system under test broke an objective under the fault.' },
  guardrailAbort: {
    name: 'Guardrail abort',
    description: 'A guardrail tripped: every fault was reverted early and the game day stopped.',
  },
  inconclusive: {
    name: 'Inconclusive',
    description: 'An SLO could not be judged (no data, Prometheus unreadable). No data is never a pass.',
    // A fixture may choose test.skip for an unjudgeable run; it still belongs here, not among the passes.
    skippedToo: true,
  },
  harnessError: { name: 'Harness error', description: 'faultline itself failed, or a target refused an inject/revert.' },
  preflightRefused: {
    name: 'Preflight refused',
    description: 'Preflight found a problem in the scenario, target or environment; nothing was injected.',
  },
  interrupted: { name: 'Interrupted', description: 'Stopped by Ctrl-C or SIGTERM; every fault was reverted, the run is incomplete.' },
};

/**
 * Categories keyed on FAILURE_PREFIX. Playwright reports a thrown error's message as `Error: <message>` (or
 * `FaultlineError: …`), and Allure matches the whole message, so the regex allows that one leading error name.
 */
export function allureCategories(): AllureCategory[] {
  return (Object.keys(FAILURE_PREFIX) as FailureKind[]).map((kind) => ({
    name: CATEGORY[kind].name,
    description: CATEGORY[kind].description,
    matchedStatuses: CATEGORY[kind].skippedToo ? ['failed', 'broken', 'skipped'] : ['failed', 'broken'],
    messageRegex: `(?s)(?:\\w*Error: )?${escapeRegex(FAILURE_PREFIX[kind])}.*`,
  }));
}

export function writeCategories(resultsDir: string): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, 'categories.json');
  writeFileSync(path, JSON.stringify(allureCategories(), null, 2) + '\n');
  return path;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
