import { PreflightError } from '../core/index.ts';
import { compileExperimentSource, type LoadedExperiment } from './load-experiment.ts';
import { compileTopologySource, type LoadedTopology } from './load-topology.ts';
import { readSourceFile } from './source-file.ts';

export type LoadedFile = { kind: 'experiment'; experiment: LoadedExperiment } | { kind: 'topology'; topology: LoadedTopology };

/**
 * An experiment or a topology file, told apart by content: a topology lists `regions` and has no `faults`. For
 * `faultline validate -f`, which checks either. Throws a PreflightError of FileProblems, like the two loaders.
 */
export function loadFile(file: string): LoadedFile {
  const src = readSourceFile(file);
  const data = src.data as Record<string, unknown> | null;
  const topology = typeof data === 'object' && data !== null && !Array.isArray(data) && 'regions' in data && !('faults' in data);
  return topology ? { kind: 'topology', topology: compileTopologySource(src) } : { kind: 'experiment', experiment: compileExperimentSource(src) };
}
