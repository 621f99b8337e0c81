import type { JournalEntry, RunOutcome } from '../core/index.ts';
import { formatOffset, formatValue } from './format.ts';
import { viewRun, type RunView } from './run-view.ts';

/**
 * The exact prefixes a game day's failure message starts with. Allure sorts failed tests into categories by
 * matching these (see `allureCategories`), so the fixture must fail a test with `failureMessage(entries)` or with
 * a message that starts with one of these, nothing else.
 */
export const FAILURE_PREFIX = {
  sloBreach: 'SLO breach:',
  guardrailAbort: 'Guardrail abort:',
  inconclusive: 'Inconclusive:',
  harnessError: 'Harness error:',
  preflightRefused: 'Preflight refused:',
  interrupted: 'Interrupted:',
} as const;
export type FailureKind = keyof typeof FAILURE_PREFIX;

const FAILURE_KIND_OF: Readonly<Record<RunOutcome, FailureKind | undefined>> = {
  passed: undefined,
  failed: 'sloBreach',
  aborted: 'guardrailAbort',
  interrupted: 'interrupted',
  inconclusive: 'inconclusive',
  refused: 'preflightRefused',
  error: 'harnessError',
};

/** Which category a run falls in; undefined for a pass. */
export function failureKindOf(run: { outcome: RunOutcome }): FailureKind | undefined {
  return FAILURE_KIND_OF[run.outcome];
}

/**
 * The one-paragraph message a game day fails with: the category prefix, then what broke in terms an on-call
 * engineer can act on (the SLO names with observed vs objective, the guardrail that tripped). Undefined for a pass.
 */
export function failureMessage(entries: readonly JournalEntry[]): string | undefined {
  const run = viewRun(entries);
  const kind = failureKindOf(run);
  return kind && `${FAILURE_PREFIX[kind]} ${failureDetail(run, kind)}`;
}

function failureDetail(run: RunView, kind: FailureKind): string {
  const judged = run.slos.filter((s) => !s.informational);
  switch (kind) {
    case 'sloBreach': {
      const failed = judged.filter((s) => s.verdict === 'fail');
      const list = failed.map((s) => `${s.name} observed ${formatValue(s.observed, s.unit)}, objective ${s.objective}`);
      return failed.length
        ? `${failed.length} SLO${failed.length === 1 ? '' : 's'} failed in "${run.scenario}": ${list.join('; ')}`
        : `"${run.scenario}" failed: ${run.reason}`;
    }
    case 'guardrailAbort': {
      const breach = run.guardrailBreaches[0];
      const what = breach
        ? breach.error !== undefined
          ? `guardrail ${breach.name} could not be evaluated (${breach.error})`
          : `guardrail ${breach.name} read ${breach.value} against threshold ${breach.threshold}`
        : run.reason;
      const at = breach ? ` at ${formatOffset(breach.t - run.start)}` : '';
      return `"${run.scenario}" aborted${at}: ${what}; every fault was reverted`;
    }
    case 'inconclusive': {
      const open = judged.filter((s) => s.verdict === 'inconclusive');
      return open.length
        ? `"${run.scenario}": ${open.map((s) => `${s.name} (${s.reason})`).join('; ')}`
        : `"${run.scenario}": ${run.reason}`;
    }
    case 'preflightRefused': {
      const problems = run.preflightProblems.map((p) => `[${p.code}] ${p.message}`);
      return `"${run.scenario}" injected nothing: ${problems.length ? problems.join('; ') : run.reason}`;
    }
    case 'harnessError':
    case 'interrupted':
      return `"${run.scenario}": ${run.reason}`;
  }
}
