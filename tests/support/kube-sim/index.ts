export * from './kube-sim.ts';
export * from './crd-validator.ts';
export * from './rbac.ts';
export { CHAOS_FINALIZER, parseGoDuration, type ChaosMeshBehaviour } from './fake-chaos-mesh.ts';
export type { K6OperatorBehaviour } from './fake-k6-operator.ts';
export type { SimObject } from './selectors.ts';
export { RESOURCE_TYPES, type ResourceType } from './resource-types.ts';
