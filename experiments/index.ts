// Experiments and topologies as files: the loader, the compiler to core's model, and the file types the shipped
// JSON Schemas are generated from.
export type { BackgroundFault, ExperimentFile, FaultStep, FaultTiming, GuardrailEntry, QueryGuardrail, ScheduleSection } from './experiment-file.ts';
export { cronProblem, CRON_HINT } from './cron-expression.ts';
export type { KubernetesFileBinding, TopologyFile } from './topology-file.ts';
export { compileExperiment, faultPlan, guardrailOf } from './compile-experiment.ts';
export { loadExperiment, compileExperimentSource, type LoadedExperiment } from './load-experiment.ts';
export { loadTopologyFile, compileTopologySource, type LoadedTopology } from './load-topology.ts';
export { FileProblem, displayPath, fieldName, type FilePosition } from './file-problem.ts';
export { parseSource, readSourceFile, locate, MAX_FILE_BYTES, type SourceFile } from './source-file.ts';
export { schemaProblems, shippedSchema } from './schema-check.ts';
export { loadFile, type LoadedFile } from './load-file.ts';
export { starterExperiment } from './starter-experiment.ts';
