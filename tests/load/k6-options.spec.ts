import { expect, test } from '@playwright/test';
import { isFaultlineError, type LoadProfile } from '../../core/index.ts';
import { buildK6Options, meanTargetRate, sizeVUs } from '../../load/index.ts';

const threeRegions: LoadProfile = {
  regions: {
    jkt: { executor: 'constant-arrival-rate', rate: 40 },
    bdg: { executor: 'ramping-arrival-rate', startRate: 5, stages: [{ target: 30, duration: '20s' }, { target: 10, duration: '10s' }] },
    sby: { executor: 'constant-vus', vus: 3 },
  },
  writeRatio: 0.2,
};

test('one scenario per region, named and tagged after it, running the script function', () => {
  const o = buildK6Options(threeRegions, { durationMs: 60_000 });
  expect(Object.keys(o.scenarios)).toEqual(['jkt', 'bdg', 'sby']);
  for (const [name, s] of Object.entries(o.scenarios)) {
    expect(s.tags).toEqual({ region: name });
    expect(s.exec).toBe('region');
  }
  expect(buildK6Options(threeRegions, { durationMs: 1_000, exec: 'other' }).scenarios.jkt!.exec).toBe('other');
});

test('each executor keeps its own shape and the run length', () => {
  const { jkt, bdg, sby } = buildK6Options(threeRegions, { durationMs: 60_000 }).scenarios;
  expect(jkt).toMatchObject({ executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '60000ms' });
  expect(sby).toEqual({ executor: 'constant-vus', vus: 3, duration: '60000ms', exec: 'region', tags: { region: 'sby' } });
  // The stages cover 30 s of a 60 s run: the last target is held for the rest, so load never stops mid-fault.
  expect(bdg).toMatchObject({
    executor: 'ramping-arrival-rate',
    startRate: 5,
    timeUnit: '1s',
    stages: [
      { target: 30, duration: '20000ms' },
      { target: 10, duration: '10000ms' },
      { target: 10, duration: '30000ms' },
    ],
  });
  expect(bdg).not.toHaveProperty('duration');
});

test('profile.duration is the run length when the caller gives none, and a constant executor needs one', () => {
  const o = buildK6Options({ ...threeRegions, duration: '2m' });
  expect(o.scenarios.jkt).toMatchObject({ duration: '120000ms' });
  expect(o.scenarios.bdg).toMatchObject({ stages: [{ duration: '20000ms' }, { duration: '10000ms' }, { target: 10, duration: '90000ms' }] });
  expect(() => buildK6Options(threeRegions)).toThrow(/needs a run length/);
  // Ramping alone needs no run length: its stages are the run.
  const rampOnly: LoadProfile = { regions: { bdg: threeRegions.regions.bdg! }, writeRatio: 0 };
  expect(buildK6Options(rampOnly).scenarios.bdg).toMatchObject({ stages: [{ duration: '20000ms' }, { duration: '10000ms' }] });
});

test('arrival-rate VUs: pre-allocated for healthy latency, room for rate × timeout, capped by maxVUs', () => {
  // 40/s with the default 3 s timeout: 120 VUs would be needed to keep arriving through a partition; capped at 50.
  expect(buildK6Options(threeRegions, { durationMs: 1_000 }).scenarios.jkt).toMatchObject({ preAllocatedVUs: 4, maxVUs: 50 });
  const small: LoadProfile = { regions: { jkt: { executor: 'constant-arrival-rate', rate: 5 } }, writeRatio: 0, requestTimeout: '2s', maxVUs: 200 };
  expect(buildK6Options(small, { durationMs: 1_000 }).scenarios.jkt).toMatchObject({ preAllocatedVUs: 2, maxVUs: 10 });
  // Ramping is sized for its peak (30/s), not its start.
  expect(buildK6Options({ ...threeRegions, maxVUs: 500 }, { durationMs: 1_000 }).scenarios.bdg).toMatchObject({ preAllocatedVUs: 3, maxVUs: 90 });
  expect(sizeVUs(1000, 3, 20)).toEqual({ preAllocatedVUs: 20, maxVUs: 20 });
  expect(sizeVUs(1, 0.5, 50)).toEqual({ preAllocatedVUs: 2, maxVUs: 2 });
});

test('per-region submetric thresholds make the summary per region; dropped iterations go by scenario', () => {
  const o = buildK6Options(threeRegions, { durationMs: 1_000, runId: 'run-7' });
  for (const r of ['jkt', 'bdg', 'sby']) {
    expect(o.thresholds[`http_reqs{region:${r}}`]).toEqual(['count>=0']);
    expect(o.thresholds[`http_req_failed{region:${r}}`]).toEqual(['rate>=0']);
    expect(o.thresholds[`http_req_duration{region:${r}}`]).toEqual(['max>=0']);
    expect(o.thresholds[`dropped_iterations{scenario:${r}}`]).toEqual(['count>=0']);
  }
  expect(o.summaryTrendStats).toEqual(expect.arrayContaining(['avg', 'med', 'max', 'p(95)', 'p(99)']));
  expect(o.tags).toEqual({ testid: 'run-7' });
  expect(o.systemTags).not.toContain('url');
  expect(o.systemTags).toEqual(expect.arrayContaining(['status', 'expected_response', 'method', 'scenario', 'name']));
  expect(buildK6Options(threeRegions, { durationMs: 1_000 })).not.toHaveProperty('tags');
});

test('bad profiles are refused with an actionable error', () => {
  const bad: [LoadProfile, RegExp][] = [
    [{ regions: {}, writeRatio: 0 }, /no regions/],
    [{ regions: { jkt: { executor: 'constant-arrival-rate', rate: 0 } }, writeRatio: 0 }, /rate 0 is not a positive/],
    [{ regions: { jkt: { executor: 'constant-vus', vus: 1.5 } }, writeRatio: 0 }, /vus 1.5/],
    [{ regions: { jkt: { executor: 'ramping-arrival-rate', startRate: 1, stages: [] } }, writeRatio: 0 }, /at least one stage/],
    [{ regions: { jkt: { executor: 'constant-vus', vus: 1 } }, writeRatio: 0, maxVUs: 0 }, /maxVUs 0/],
    [{ regions: { jkt: { executor: 'constant-vus', vus: 1 } }, writeRatio: 0, requestTimeout: 'soon' }, /not a duration/],
  ];
  for (const [profile, message] of bad) {
    let error: unknown;
    try {
      buildK6Options(profile, { durationMs: 1_000 });
    } catch (e) {
      error = e;
    }
    expect(isFaultlineError(error), String(message)).toBe(true);
    expect((error as Error).message).toMatch(message);
  }
});

test('mean target rate: constant, ramps integrated over the elapsed time, none for VUs', () => {
  expect(meanTargetRate({ executor: 'constant-arrival-rate', rate: 20 }, 5_000)).toBe(20);
  expect(meanTargetRate({ executor: 'constant-vus', vus: 2 }, 5_000)).toBeUndefined();
  const ramp = { executor: 'ramping-arrival-rate' as const, startRate: 0, stages: [{ target: 20, duration: '10s' }, { target: 20, duration: '10s' }] };
  expect(meanTargetRate(ramp, 10_000)).toBeCloseTo(10); // 0 → 20 linearly
  expect(meanTargetRate(ramp, 5_000)).toBeCloseTo(5); // stopped half-way up the ramp: 0 → 10
  expect(meanTargetRate(ramp, 20_000)).toBeCloseTo(15);
  expect(meanTargetRate(ramp, 40_000)).toBeCloseTo(17.5); // the last target is held past the stages
  // A zero-length stage is a jump.
  expect(meanTargetRate({ executor: 'ramping-arrival-rate', startRate: 0, stages: [{ target: 10, duration: 0 }, { target: 10, duration: '4s' }] }, 4_000)).toBeCloseTo(10);
});
