import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { loadExperiment, loadTopologyFile } from '../../experiments/index.ts';
import { catalog } from '../../scenarios/index.ts';
import { topologies } from '../../targets/index.ts';
import { asData, exampleExperiments, exampleTopologies, rel } from './support.ts';

/*
 * The seed game days ship as experiment files, and the seed topologies as topology files. Each file must compile to
 * exactly what its TypeScript twin builds, so the two cannot drift: change one without the other and this fails.
 */

test('every seed game day has an example experiment file, and every example file has a TypeScript twin', () => {
  const names = exampleExperiments().map((f) => basename(f).replace(/\.(ya?ml|json)$/, ''));
  expect(names.sort()).toEqual(catalog.map((s) => s.name).sort());
});

for (const file of exampleExperiments()) {
  test(`${rel(file)} compiles to the same Scenario as its TypeScript twin`, () => {
    const loaded = loadExperiment(file);
    const twin = catalog.find((s) => s.name === loaded.scenario.name);
    expect(twin, `no TypeScript scenario named ${loaded.scenario.name}`).toBeDefined();
    expect(asData(loaded.scenario)).toEqual(asData(twin));
    expect(asData(loaded.targets)).toEqual(asData(topologies[twin!.topology]));
  });
}

test('every seed topology has a topology file that loads to the same topology and bindings', () => {
  const files = exampleTopologies();
  expect(files.map((f) => basename(f).replace(/\.topology\.ya?ml$/, '')).sort()).toEqual(Object.keys(topologies).sort());
  for (const file of files) {
    const { file: _path, ...loaded } = loadTopologyFile(file);
    const name = loaded.topology.name;
    expect(asData(loaded), rel(file)).toEqual(asData(topologies[name]));
  }
});

test('every example names its schema for editors, and the path resolves', () => {
  for (const file of [...exampleExperiments(), ...exampleTopologies()]) {
    const m = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(file, 'utf8'));
    expect(m, `${rel(file)} has no yaml-language-server schema line`).not.toBeNull();
    expect(existsSync(resolve(dirname(file), m![1]!)), `${rel(file)}: ${m![1]} does not exist`).toBe(true);
  }
});

test('a twin that drifts is caught: one changed objective makes the file differ from its scenario', () => {
  const file = exampleExperiments().find((f) => f.endsWith('jkt-pod-loss.yaml'))!;
  const loaded = loadExperiment(file);
  const twin = structuredClone(catalog.find((s) => s.name === 'jkt-pod-loss')!);
  (twin.slos[1] as { objective: number }).objective = 0.98;
  expect(asData(loaded.scenario)).not.toEqual(asData(twin));
});
