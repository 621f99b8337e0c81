import { expect, test } from '@playwright/test';
import { findRecovery } from '../../assertions/index.ts';

// The RTO walk on its own, for the edges a live Prometheus rarely produces on cue.
const grid = { start: 10_000, end: 20_000, stepMs: 1_000 };
const healthy = (v: number) => v >= 3;
const series = (values: (number | undefined)[]): [number, number][] =>
  values.flatMap((v, i): [number, number][] => (v === undefined ? [] : [[grid.start + i * grid.stepMs, v]]));

test('recovered: dated to the first healthy step after the last unhealthy one', () => {
  expect(findRecovery(series([3, 2, 2, 3, 2, 3, 3, 3, 3, 3, 3]), grid, healthy)).toEqual({ state: 'recovered', at: 15_000 });
});

test('a healthy value at the very start does not count if the SLI drops later', () => {
  expect(findRecovery(series([3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 3]), grid, healthy)).toEqual({ state: 'recovered', at: 20_000 });
});

test('never left: RTO 0', () => {
  expect(findRecovery(series(Array(11).fill(3)), grid, healthy)).toEqual({ state: 'never-left' });
});

test('unhealthy at the last step: not recovered', () => {
  expect(findRecovery(series([3, 3, 2, 3, 3, 3, 3, 3, 3, 3, 2]), grid, healthy)).toEqual({ state: 'not-recovered' });
});

test('silence is never recovery: a missing step counts as unhealthy, also at the end', () => {
  expect(findRecovery(series([3, 3, undefined, 3, 3, 3, 3, 3, 3, 3, 3]), grid, healthy)).toEqual({ state: 'recovered', at: 13_000 });
  expect(findRecovery(series([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, undefined]), grid, healthy)).toEqual({ state: 'not-recovered' });
  expect(findRecovery(series([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, Number.NaN]), grid, healthy)).toEqual({ state: 'not-recovered' });
});

test('no samples at all: no data', () => {
  expect(findRecovery([], grid, healthy)).toEqual({ state: 'no-data' });
});
