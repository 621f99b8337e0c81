export { multiCloudMesh } from './topology.ts';
export { multiCloudMeshKubernetes } from './kubernetes.ts';
export { multiCloudMeshLab } from './lab.ts';
