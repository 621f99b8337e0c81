export * from './testrun-manifests.ts';
export * from './k6-operator-runner.ts';
export * from './dry-run.ts';
export { K6_OPERATOR_INSTALL } from './kube-access.ts';
