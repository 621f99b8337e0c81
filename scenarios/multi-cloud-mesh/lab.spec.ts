import { expect, test } from '../fixtures.ts';
import { runOnLab } from '../lab-run.ts';
import { meshHttpAbort, meshHttpDelay, meshInterconnectPartition, meshRegionFailover, meshTotalAbort } from './lab-game-days.ts';

// Seed 004 on its active/passive lab (ports 19800-19849). Each game day costs about 60 s; the region failover runs
// last, since a failed-over lab is another system and the fixture would rebuild it for anything after.
test.describe('multi-cloud-mesh game days on the lab (seed 004)', () => {
  test('mesh HTTP abort: 30% 503 on api-gateway → core-services in aws-primary, within the error budget', async ({ gameday }) => {
    await gameday.run(meshHttpAbort);
  });

  test('mesh HTTP delay: 400 ms on half of api-gateway → core-services in aws-primary', async ({ gameday }) => {
    await gameday.run(meshHttpDelay);
  });

  test('TGW↔Interconnect partition: gcp-dr keeps serving reads, its copies catch up', async ({ gameday }) => {
    await gameday.run(meshInterconnectPartition);
  });

  // The negative case, asserted: with every gateway call on Core Services aborted, the run must fail, and on the
  // availability objective alone (gcp-dr, which the fault never touches, still passes).
  test('negative: a 100% abort on api-gateway → core-services fails aws-primary availability', async ({ labs }) => {
    const lab = await labs.up(meshTotalAbort.topology);
    const result = await runOnLab(meshTotalAbort, { runDir: lab.runDir, handleSignals: false });
    expect(result.outcome, result.reason).toBe('failed');
    expect(result.exitCode).toBe(1);
    const failed = result.slos.filter((s) => s.verdict === 'fail' && !s.informational).map((s) => s.name);
    expect(failed).toEqual(['aws-primary availability during the abort']);
    const availability = result.slos.find((s) => s.name === 'aws-primary availability during the abort')!;
    // observed is a percentage: next to nothing got through while every call was aborted.
    expect(availability.observed!).toBeLessThan(10);
    expect(result.slos.find((s) => s.name === 'gcp-dr read availability (during)')?.verdict).toBe('pass');
  });

  test('aws-primary lost → DR runbook fails over to gcp-dr: RTO, RPO of aurora and msk, error budget', async ({ gameday }) => {
    await gameday.run(meshRegionFailover);
  });
});
