export { buildK6Options, sizeVUs, DEFAULT_MAX_VUS, DEFAULT_REQUEST_TIMEOUT } from './k6-options.ts';
export type { K6Options, K6Scenario, K6OptionsInput } from './k6-options.ts';
export { parseK6Summary, meanTargetRate } from './k6-summary.ts';
export type { K6SummaryData, ParseK6SummaryOptions } from './k6-summary.ts';
export { LocalK6Runner } from './local-k6-runner.ts';
export type { LocalK6RunnerOptions, LocalK6Run } from './local-k6-runner.ts';
export { GAMEDAY_SCRIPT, k6Binary } from './k6-paths.ts';
export { K6_CONFIG_ENV, SUMMARY_MARKER } from './k6/script-config.ts';
export type { K6ScriptConfig } from './k6/script-config.ts';
