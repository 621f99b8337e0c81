import { expect, test } from '@playwright/test';
import { activePassivePorts, planActivePassive } from '../../lab/active-passive/plan.ts';
import { planLab, plannedPorts } from '../../lab/index.ts';
import { topologies } from '../../targets/index.ts';

// Every topology's lab has its own default port range and run folder, so two labs (a garage slice's and seed 004's,
// say) can be up side by side, and a game day of one can never reach the other's processes.
const labs = Object.values(topologies).flatMap(({ topology, lab }) => {
  if (!lab) return [];
  const ports = lab.activePassive
    ? activePassivePorts(planActivePassive(topology, lab)).map((p) => p.port)
    : plannedPorts(planLab(topology, lab, { canMountSlowDisk: false })).map((p) => p.port);
  return [{ name: topology.name, ports, runDir: lab.runDir }];
});

test('every lab binding has a port range and a run folder of its own', () => {
  expect(labs.map((l) => l.name)).toContain('multi-cloud-mesh');
  for (const a of labs) {
    expect(new Set(a.ports).size, `${a.name} plans a port twice`).toBe(a.ports.length);
    for (const b of labs) {
      if (a === b) continue;
      expect(a.runDir, `${a.name} and ${b.name}`).not.toBe(b.runDir);
      expect(a.ports.filter((p) => b.ports.includes(p)), `${a.name} and ${b.name} share ports`).toEqual([]);
    }
  }
});

test('seed 004 plans its mesh route proxy between the aws-primary gateway and core-services, inside 19800-19849', () => {
  const { topology, lab } = topologies['multi-cloud-mesh']!;
  const plan = planActivePassive(topology, lab!);
  expect(plan.routeProxy).toBe(19826);
  expect(activePassivePorts(plan).every((p) => p.port >= 19800 && p.port < 19850)).toBe(true);
  expect(plan.services.map((s) => `${s.service}@${s.region}`)).toEqual(['core-services@aws-primary', 'core-services@aws-primary', 'core-services@gcp-dr']);
});
