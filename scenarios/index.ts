// What the CLI runs: the catalogue of named game days and the wiring that runs one on a target. The Playwright
// fixture (fixtures.ts) is not exported here: only the suites use it, and the CLI never loads Playwright.
export { catalog, requireScenario } from './catalog.ts';
export { runOnLab, labDryRun, labRunDir, labLoadEndpoints, sessionDir, newRunId, type LabRunOptions } from './lab-run.ts';
export { runOnKubernetes, kubernetesDryRun, KUBERNETES_LEDGER_DIR, type KubernetesRunOptions } from './kubernetes-run.ts';
