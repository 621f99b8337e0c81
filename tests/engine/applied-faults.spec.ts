import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AppliedFaults, eventsOf, Journal, Ledger, type FaultDriver, type FaultPlan } from '../../core/index.ts';

// The fault lifecycle as a type: an applied fault is a handle whose disposal reverts it, and the owner of all of
// them reverts whatever is left when its `await using` block ends, however it ends.

function owner(opts: { applyDelayMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-applied-'));
  const on = new Set<string>();
  const log: string[] = [];
  const driver: FaultDriver = {
    target: 'memory',
    async check() {
      return [];
    },
    async prepare(plan: FaultPlan) {
      return {
        plan,
        detail: { picked: plan.name },
        revert: [{ type: 'driver', driver: 'memory', ref: { name: plan.name } }],
        async apply() {
          await new Promise((r) => setTimeout(r, opts.applyDelayMs ?? 0));
          log.push(`apply ${plan.name}`);
          on.add(plan.name);
        },
      };
    },
    revertHandlers: {
      memory: async (ref) => {
        log.push(`revert ${ref.name}`);
        on.delete(String(ref.name));
      },
    },
  };
  const ledger = new Ledger(join(dir, 'ledger'));
  const journal = new Journal(join(dir, 'journal.jsonl'));
  const faults = new AppliedFaults({ driver, ledger, journal, runId: 'r1', scenario: 's' });
  return { faults, on, log, ledger, journal };
}

const plan = (name: string): FaultPlan => ({ name, spec: { kind: 'cacheLoss', region: 'jkt' }, at: '0s', duration: '10s' });

test('leaving an `await using` block reverts the fault, even when the block throws', async () => {
  const o = owner();
  await expect(
    (async () => {
      await using fault = await o.faults.inject(plan('a'));
      expect(o.on.has('a')).toBe(true);
      expect(fault.entry.revert).toHaveLength(1);
      throw new Error('the test body failed');
    })(),
  ).rejects.toThrow('the test body failed');
  expect(o.on.size).toBe(0);
  expect(o.ledger.list()).toEqual([]);
  expect(eventsOf(o.journal.entries, 'revert').map((r) => [r.fault, r.reason, r.ok])).toEqual([['a', 'error', true]]);
});

test('the owner reverts what is still applied when its block ends, with the reason the run set', async () => {
  const o = owner();
  await (async () => {
    await using faults = o.faults;
    const a = await faults.inject(plan('a'));
    await faults.inject(plan('b'));
    await a.revert('schedule');
    faults.disposeReason = 'interrupted';
  })();
  expect(o.on.size).toBe(0);
  expect(eventsOf(o.journal.entries, 'revert').map((r) => [r.fault, r.reason])).toEqual([
    ['a', 'schedule'],
    ['b', 'interrupted'],
  ]);
});

test('reverting twice runs the revert once; the handle knows its time on the target', async () => {
  const o = owner();
  const a = await o.faults.inject(plan('a'));
  expect(a.reverted).toBe(false);
  await Promise.all([a.revert('schedule'), a.revert('guardrail')]);
  await o.faults.revertAll('error');
  expect(o.log.filter((l) => l.startsWith('revert'))).toEqual(['revert a']);
  expect(a.reverted).toBe(true);
  expect(a.range.end).toBeGreaterThanOrEqual(a.range.start);
  expect(o.faults.ranges()).toEqual([{ name: 'a', range: a.range }]);
});

test('an injection still in flight is applied before it is reverted, never after', async () => {
  const o = owner({ applyDelayMs: 200 });
  const injecting = o.faults.inject(plan('slow'));
  await new Promise((r) => setTimeout(r, 20)); // the ledger entry exists, the apply has not landed yet
  expect(o.ledger.list().map((e) => e.fault)).toEqual(['slow']);
  await o.faults.revertAll('interrupted');
  await injecting;
  expect(o.log).toEqual(['apply slow', 'revert slow']);
  expect(o.on.size).toBe(0);
});
