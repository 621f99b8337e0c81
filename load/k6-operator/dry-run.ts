import { stringify } from 'yaml';
import type { K6OperatorProfile, K6OperatorSettings } from './testrun-manifests.ts';
import { k6OperatorManifests } from './testrun-manifests.ts';

/** The ConfigMaps and TestRuns a distributed run would create, as YAML per context; nothing is sent. */
export function renderK6OperatorDryRun(profile: K6OperatorProfile, run: { runId: string; scenario: string; durationMs: number }, settings: K6OperatorSettings): string {
  const regions = k6OperatorManifests(profile, run, settings);
  const out = [`# faultline dry run: k6-operator load for scenario "${run.scenario}", run ${run.runId}. Nothing was sent to any cluster.`];
  for (const r of regions) {
    out.push(`# ── context "${r.context}" (region ${r.region})`);
    for (const m of [r.configMap, r.testRun]) out.push(`---\n${stringify(m, { lineWidth: 0 }).trimEnd()}`);
  }
  return out.join('\n') + '\n';
}
