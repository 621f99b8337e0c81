import { dirname, resolve } from 'node:path';
import { FaultlineError, parseDuration, PreflightError, validateFaultNames, validateScenario, type Scenario, type Topology } from '../core/index.ts';
import { requireTopology, type TopologyTargets } from '../targets/index.ts';
import { compileExperiment, faultPlan } from './compile-experiment.ts';
import { CRON_HINT, cronProblem } from './cron-expression.ts';
import type { ExperimentFile } from './experiment-file.ts';
import { FileProblem, fieldName } from './file-problem.ts';
import { loadTopologyFile } from './load-topology.ts';
import { schemaProblems } from './schema-check.ts';
import { locate, readSourceFile, type SourceFile } from './source-file.ts';

/** An experiment file, compiled and checked against its topology: ready for the same engine as any scenario. */
export interface LoadedExperiment {
  file: string;
  scenario: Scenario;
  /** The topology and its bindings: the registered ones, or the topology file's. */
  targets: TopologyTargets;
  /** Set when the topology came from a file. */
  topologyFile?: string;
  /** The file as written, checked: what `faultline schedule` reads its schedule section from. */
  data: ExperimentFile;
}

const TOPOLOGY_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads an experiment file (YAML or JSON) and compiles it to a Scenario, refusing anything a run's static
 * preflight would refuse: syntax, schema (field names, types, kinds, durations with units), the topology (a name or a
 * file), and the scenario against it (names exist, objectives in range). Every problem points at the file, line and
 * field, with a hint; they all come in one PreflightError, which exits 2. Nothing is started.
 */
export function loadExperiment(file: string): LoadedExperiment {
  return compileExperimentSource(readSourceFile(file));
}

export function compileExperimentSource(src: SourceFile): LoadedExperiment {
  const schema = schemaProblems(src, 'experiment');
  if (schema.length) throw new PreflightError(schema);
  const data = src.data as ExperimentFile;
  const { targets, topologyFile } = resolveTopology(src, data.topology);
  const scenario = compileExperiment(data, targets.topology.name);
  const problems = [
    ...validateScenario(scenario, targets.topology).map((p) => locateScenarioProblem(src, data, scenario, p)),
    ...scheduleProblems(src, data, targets.topology),
  ];
  if (problems.length) throw new PreflightError(problems);
  return { file: src.path, scenario, targets, ...(topologyFile && { topologyFile }), data };
}

/** The schedule section: every cron parses, every background fault names what exists. */
function scheduleProblems(src: SourceFile, data: ExperimentFile, topology: Topology): FileProblem[] {
  const schedule = data.schedule;
  if (!schedule) return [];
  const problems: FileProblem[] = [];
  const cron = (path: (string | number)[], expression: string) => {
    const problem = cronProblem(expression);
    if (problem) problems.push(new FileProblem(src.path, locate(src, path), fieldName(path), `"${expression}" is not a valid cron expression: ${problem}`, CRON_HINT));
  };
  cron(['schedule', 'cron'], schedule.cron);
  (schedule.background ?? []).forEach((fault, i) => {
    cron(['schedule', 'background', i, 'cron'], fault.cron);
    const { cron: _cron, ...step } = fault;
    const plan = faultPlan(step);
    for (const [path, value] of [[['for'], plan.duration], [['at'], plan.at]] as const) {
      try {
        parseDuration(value);
      } catch (e) {
        problems.push(new FileProblem(src.path, locate(src, ['schedule', 'background', i, ...path]), fieldName(['schedule', 'background', i, ...path]), (e as Error).message.split('\n')[0]!));
      }
    }
    try {
      validateFaultNames(plan.spec, topology);
    } catch (e) {
      const err = e as FaultlineError;
      const item = fault as unknown as Record<string, unknown>;
      const field = Object.keys(item).find((k) => typeof item[k] === 'string' && err.message.includes(`"${item[k] as string}"`));
      const path = ['schedule', 'background', i, ...(field ? [field] : [])];
      problems.push(new FileProblem(src.path, locate(src, path), fieldName(path), err.message.split('\n')[0]!, err.hint, err.code));
    }
  });
  return problems;
}

function resolveTopology(src: SourceFile, topology: string): { targets: TopologyTargets; topologyFile?: string } {
  const where = locate(src, ['topology']);
  if (TOPOLOGY_FILE.test(topology)) {
    const path = resolve(dirname(src.path), topology);
    try {
      return { targets: loadTopologyFile(path), topologyFile: path };
    } catch (e) {
      if (e instanceof PreflightError && e.problems.some((p) => p instanceof FileProblem && p.problem === 'no such file')) {
        throw new PreflightError([new FileProblem(src.path, where, 'topology', `topology file "${topology}" does not exist (looked for ${path})`, 'a topology file path is relative to the experiment file')]);
      }
      throw e;
    }
  }
  try {
    return { targets: requireTopology(topology) };
  } catch (e) {
    const err = e as FaultlineError;
    throw new PreflightError([new FileProblem(src.path, where, 'topology', err.message.split('\n')[0]!, `${err.hint ?? ''}; or name a topology file, e.g. topology: ./my-system.topology.yaml`, err.code)]);
  }
}

/**
 * core's validateScenario names the part of the scenario each problem is about (`fault "x" duration: …`,
 * `SLO "y": …`, `load.regions.z: …`); this turns that into the file's line and field. Within a fault or SLO the
 * field is the one holding the name the message quotes (`unknown service "api"` → its `service`).
 */
function locateScenarioProblem(src: SourceFile, data: ExperimentFile, scenario: Scenario, problem: FaultlineError): FileProblem {
  const [text, ...hintLines] = problem.message.split('\n  → ');
  const hint = problem.hint ?? (hintLines.join(' ') || undefined);
  let path: (string | number)[] = [];
  let rest = text!;
  const named = /^(fault|SLO|guardrail|scenario) "((?:[^"\\]|\\.)*)"(?: (\w+))?: ([\s\S]*)$/.exec(text!);
  const dotted = /^([a-zA-Z]+(?:\.[\w-]+)*): ([\s\S]*)$/.exec(text!);
  if (named) {
    const [, what, name, field, message] = named;
    rest = message!;
    const index =
      what === 'fault' ? scenario.faults.findIndex((f) => f.name === name)
      : what === 'SLO' ? data.slos.findIndex((s) => s.name === name)
      : what === 'guardrail' ? (data.guardrails ?? []).findIndex((g) => g.name === name)
      : -1;
    const list = what === 'fault' ? 'faults' : what === 'SLO' ? 'slos' : 'guardrails';
    if (what === 'scenario') path = fieldOfMessage(data as unknown as Record<string, unknown>, rest) ?? ['name'];
    else if (index >= 0) {
      const item = (data as unknown as Record<string, unknown[]>)[list]![index] as Record<string, unknown>;
      const key = field === 'duration' ? 'for' : field;
      path = [list, index, ...(key && key in item ? [key] : fieldOfMessage(item, rest) ?? [])];
    }
    rest = `${what} "${name}"${field ? ` ${field}` : ''}: ${rest}`;
  } else if (dotted) {
    path = dotted[1]!.split('.');
    rest = dotted[2]!;
  }
  return new FileProblem(src.path, locate(src, path), fieldName(path), rest, hint, problem.code);
}

/** The path, within `item`, of the first field whose value the message quotes. */
function fieldOfMessage(item: Record<string, unknown>, message: string): (string | number)[] | undefined {
  const quoted = [...message.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  for (const q of quoted) {
    for (const [key, value] of Object.entries(item)) {
      if (value === q) return [key];
      if (Array.isArray(value)) {
        const i = value.indexOf(q);
        if (i >= 0) return [key, i];
      }
    }
  }
  return undefined;
}
