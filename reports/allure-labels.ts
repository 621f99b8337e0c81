import * as allure from 'allure-js-commons';
import type { Label, Parameter } from 'allure-js-commons';
import type { JournalEntry, Severity } from '../core/index.ts';
import { viewRun, type RunView } from './run-view.ts';

/** What a game day's Allure test result should carry, derived from its journal alone. */
export interface AllureMetadata {
  /** epic = topology, feature = each fault kind injected, story = scenario, severity. */
  labels: Label[];
  /** target and run id. The run id is excluded from Allure's history id, or no two game days would share history. */
  parameters: Parameter[];
  /** Markdown: the scenario's description and the verdict in a sentence. */
  description: string;
}

const SEVERITY_ORDER: Severity[] = ['blocker', 'critical', 'normal', 'minor', 'trivial'];

export function allureLabels(entries: readonly JournalEntry[]): AllureMetadata {
  const run = viewRun(entries);
  const features = run.faultKinds.length ? run.faultKinds : ['no fault injected'];
  return {
    labels: [
      { name: 'epic', value: run.topology },
      ...features.map((kind) => ({ name: 'feature', value: kind })),
      { name: 'story', value: run.scenario },
      { name: 'severity', value: severityOf(run) },
    ],
    parameters: [
      { name: 'target', value: run.target },
      { name: 'run id', value: run.runId, excluded: true },
    ],
    description: [run.description, `**${run.outcome}** (exit ${run.exitCode}): ${run.reason}`].filter(Boolean).join('\n\n'),
  };
}

/**
 * The scenario's own severity when the engine recorded it; otherwise the most severe of the SLOs that can fail
 * the run (informational ones cannot), and `critical`, the scenario default, when there are none.
 */
function severityOf(run: RunView): Severity {
  if (run.severity) return run.severity;
  const judged = run.slos.filter((s) => !s.informational).map((s) => SEVERITY_ORDER.indexOf(s.severity));
  return judged.length ? SEVERITY_ORDER[Math.min(...judged)]! : 'critical';
}

/**
 * Sets the metadata on the running test through the allure-js-commons runtime API. Call it inside a Playwright
 * test (or fixture) reported by allure-playwright; elsewhere it is a no-op.
 */
export async function applyAllureMetadata(metadata: AllureMetadata): Promise<void> {
  await allure.labels(...metadata.labels);
  for (const p of metadata.parameters) {
    await allure.parameter(p.name, p.value, {
      ...(p.excluded !== undefined && { excluded: p.excluded }),
      ...(p.mode !== undefined && { mode: p.mode }),
    });
  }
  await allure.description(metadata.description);
}
