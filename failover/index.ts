export { RunbookRunner, type RunbookRunnerOptions } from './runbook-runner.ts';
export { resolveCommand } from './command-runbook.ts';
export { runbookJob } from './job-runbook.ts';
