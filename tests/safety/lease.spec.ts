import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventsOf, ExitCode, Journal, Ledger } from '../../core/index.ts';
import { readLeaseHolders } from '../../lab/index.ts';
import { activeToxics } from '../support/lab-probes.ts';
import { runCli, startCli, type CliRun } from '../support/faultline-cli.ts';
import { expect, HOLD_THROUGH_GUARDRAILS, test } from './support/safety-lab.ts';

// One experiment at a time per target. A second run is refused while the first holds the lab, with the holder's run
// id and scenario; cleanup leaves a run in progress alone; --allow-concurrent runs both and both journals say so; the
// lease goes with its holder on every exit path, kill -9 included.

const injected = (run: CliRun) => expect.poll(() => run.output(), { timeout: 60_000, message: 'never injected' }).toMatch(/injected /);
const journalsIn = (session: string) => readdirSync(join(session, 'journals')).map((f) => Journal.read(join(session, 'journals', f)));

test('a second experiment on a busy lab is refused with the holder, nothing of it started; cleanup leaves the first alone', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  const first = startCli(['inject', 'partition', 'jkt', 'bdg', '--for', '2m', '--rate', '10', ...HOLD_THROUGH_GUARDRAILS, '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
  try {
    await injected(first);
    const holder = readLeaseHolders(lab.runDir)[0]!;
    expect(holder.scenario).toBe('adhoc-partition');

    const second = await runCli(['inject', 'latency', 'jkt', 'sby', '500ms', '--for', '30s', '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: `${session}/second` });
    expect(second.code, second.output).toBe(ExitCode.preflight);
    expect(second.output).toContain('FAULTLINE_TARGET_BUSY');
    expect(second.output).toContain(`run ${holder.runId} (scenario adhoc-partition, pid ${holder.pid}`);
    expect(second.output).toContain('--allow-concurrent');
    // Not the old advice to clean up the running experiment's fault.
    expect(second.output).not.toMatch(/earlier run|faultline cleanup/);
    expect((await activeToxics(lab)).filter((t) => t.includes('latency'))).toEqual([]);

    // cleanup would end the first run's game day behind its back: it leaves its fault alone.
    const cleanup = await runCli(['cleanup', '--run-dir', lab.runDir]);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(cleanup.output).toMatch(/left alone: partition-jkt-bdg .* is in progress and reverts it itself/);
    expect((await activeToxics(lab)).length).toBeGreaterThan(0);
    const status = await runCli(['lab', 'status', '--run-dir', lab.runDir]);
    expect(status.output).toContain(`experiment in progress: run ${holder.runId} (scenario adhoc-partition`);
    expect(status.output).toMatch(/partition-jkt-bdg \(partition\) of run \S+, its run is in progress/);

    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(ExitCode.interrupted);
    // Released on the way out.
    expect(readLeaseHolders(lab.runDir)).toEqual([]);
  } finally {
    first.child.kill('SIGINT');
    await first.exited;
  }
});

test('--allow-concurrent runs the second anyway and marks both journals', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  const first = startCli(['inject', 'partition', 'jkt', 'bdg', '--for', '25s', '--rate', '10', ...HOLD_THROUGH_GUARDRAILS, '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
  let second: CliRun | undefined;
  try {
    await injected(first);
    second = startCli(['inject', 'latency', 'jkt', 'sby', '20ms', '--for', '10s', '--rate', '10', '--allow-concurrent', '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect([a.code, b.code], first.output() + second.output()).not.toContain(ExitCode.preflight);
    const journals = journalsIn(session);
    expect(journals).toHaveLength(2);
    const ids = journals.map((j) => eventsOf(j, 'run-start')[0]!.runId);
    for (const [i, j] of journals.entries()) {
      const other = ids[1 - i]!;
      // Each journal names the other run, and its verdict says the SLOs may have been disturbed.
      expect(eventsOf(j, 'concurrent-run').map((c) => c.runId)).toEqual([other]);
      expect(eventsOf(j, 'verdict')[0]!.reason).toContain(`ran alongside ${other} on the same target`);
    }
    expect(await activeToxics(lab)).toEqual([]);
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
    expect(readLeaseHolders(lab.runDir)).toEqual([]);
  } finally {
    first.child.kill('SIGINT');
    second?.child.kill('SIGINT');
    await Promise.all([first.exited, second?.exited]);
  }
});

test('a harness killed -9 does not hold the lab: the next run is not refused as busy', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  const killed = startCli(['inject', 'latency', 'jkt', 'sby', '20ms', '--for', '2m', '--rate', '10', '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
  await injected(killed);
  expect(readLeaseHolders(lab.runDir)).toHaveLength(1);
  killed.child.kill('SIGKILL');
  await killed.exited;
  // Its lease is in the file until someone rewrites it, but its holder is dead: the lab is free.
  const next = await runCli(['inject', 'latency', 'jkt', 'sby', '20ms', '--for', '5s', '--rate', '10', '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: `${session}/next` });
  expect(next.output).not.toContain('FAULTLINE_TARGET_BUSY');
  // Refused for the killed run's fault instead, which is a leftover now: the message says so and what to do.
  expect(next.code).toBe(ExitCode.preflight);
  expect(next.output).toMatch(/of a run that is no longer running \(latency-jkt-sby of adhoc-latency-\S+\)/);
  expect(next.output).toContain('faultline cleanup');
  expect((await runCli(['cleanup', '--run-dir', lab.runDir])).code).toBe(0);
  expect(await activeToxics(lab)).toEqual([]);
});
