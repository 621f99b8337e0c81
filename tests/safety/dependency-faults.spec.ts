import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { eventsOf, ExitCode, Ledger } from '../../core/index.ts';
import { startPostgres } from '../../lab/components/postgres.ts';
import { databaseUser, isAlive } from '../../lab/process/index.ts';
import { activeToxics } from '../support/lab-probes.ts';
import { runCli, startCli } from '../support/faultline-cli.ts';
import { sessionJournal } from './support/outage.ts';
import { expect, HOLD_THROUGH_GUARDRAILS, test } from './support/safety-lab.ts';

// Faults in what the harness's own reverts depend on. A revert that fails is never swallowed: the run is a harness
// error (exit 5), the ledger keeps the entry, and `lab status` and `cleanup` say what is wrong and what to do.

test('toxiproxy killed while a partition is held: harness error, the ledger keeps it, status and cleanup say what to do', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  const run = startCli(['inject', 'partition', 'jkt', 'bdg', '--for', '8s', '--rate', '10', ...HOLD_THROUGH_GUARDRAILS, '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
  try {
    await expect.poll(() => run.output(), { timeout: 60_000 }).toMatch(/injected /);
    process.kill(lab.toxiproxy.pid, 'SIGKILL');
    const { code } = await run.exited;
    expect(code, run.output()).toBe(ExitCode.harnessError);
    expect(run.output()).toMatch(/REVERT FAILED for partition-jkt-bdg/);
    expect(run.output()).toMatch(/\[FAULTLINE_REVERT_FAILED\] revert of partition-jkt-bdg \(\S+\) failed: DELETE http:\S+: ECONNREFUSED.*: the fault may still be applied/);
    const reverts = eventsOf(sessionJournal(session), 'revert');
    expect(reverts.map((r) => r.ok)).toEqual([false]);
    // The ledger keeps the entry: nothing pretends the fault is gone.
    expect(new Ledger(lab.ledgerDir).list().map((e) => e.fault)).toEqual(['partition-jkt-bdg']);

    const status = await runCli(['lab', 'status', '--run-dir', lab.runDir]);
    expect(status.code).toBe(ExitCode.preflight);
    expect(status.output).toMatch(/toxiproxy .* FAIL .*not running/);
    expect(status.output).toMatch(/toxiproxy is not running: every cross-region link is down .* Restart the lab .* then faultline cleanup clears the ledger/);
    const cleanup = await runCli(['cleanup', '--run-dir', lab.runDir]);
    expect(cleanup.code).toBe(ExitCode.harnessError);
    expect(cleanup.output).toMatch(/FAILED +partition-jkt-bdg/);
    expect(cleanup.output).toContain('faultline lab status');

    // What the advice says works: a new lab (toxiproxy without toxics), then cleanup clears the ledger.
    await safetyLab.relaunch();
    expect((await runCli(['cleanup', '--run-dir', lab.runDir])).code).toBe(0);
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
    expect(await activeToxics(safetyLab.state)).toEqual([]);
  } finally {
    run.child.kill('SIGKILL');
    if (!isAlive(safetyLab.state.toxiproxy.pid)) await safetyLab.relaunch();
  }
});

function applyDelay(port: number): string {
  const user = process.getuid?.() === 0 ? 'postgres' : (process.env.USER ?? 'postgres');
  return execFileSync('psql', ['-X', '-A', '-t', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-c', 'SHOW recovery_min_apply_delay'], { encoding: 'utf8' }).trim();
}

test("the replica's PostgreSQL restarted during replica lag: the revert that found it down is a harness error; the lag setting survives, cleanup clears it", async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  const replica = lab.postgres.find((p) => p.region === 'bdg' && p.role === 'replica')!;
  const run = startCli(['inject', 'replica-lag', 'bdg', '5s', '--for', '6s', '--ttl-grace', '2m', '--rate', '10', '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
  let restarted: number | undefined;
  try {
    await expect.poll(() => run.output(), { timeout: 60_000 }).toMatch(/injected /);
    expect(applyDelay(replica.port)).toBe('5s');
    // Down (a fast shutdown) across the scheduled revert, then up again, as a restart by its operator would be.
    process.kill(replica.pid, 'SIGINT');
    await expect.poll(() => isAlive(replica.pid), { timeout: 20_000 }).toBe(false);
    await expect.poll(() => run.output(), { timeout: 30_000 }).toMatch(/REVERT FAILED for replica-lag-rds-bdg/);
    restarted = (await startPostgres({ region: 'bdg', role: 'replica', port: replica.port, dataDir: replica.dataDir, logFile: join(lab.runDir, 'logs', 'postgres-bdg.log') }, databaseUser())).pid;
    const { code } = await run.exited;
    expect(code, run.output()).toBe(ExitCode.harnessError);
    // ALTER SYSTEM is durable: the restarted replica still lags, and the ledger still knows how to undo it.
    expect(applyDelay(replica.port)).toBe('5s');
    expect(new Ledger(lab.ledgerDir).list().map((e) => e.fault)).toEqual(['replica-lag-rds-bdg']);
    const cleanup = await runCli(['cleanup', '--run-dir', lab.runDir]);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(applyDelay(replica.port)).toBe('0');
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
  } finally {
    run.child.kill('SIGKILL');
    // The lab does not know the restarted server's pid: stop it, and start a fresh lab for the tests after this one.
    if (restarted !== undefined) {
      process.kill(restarted, 'SIGINT');
      await expect.poll(() => isAlive(restarted!), { timeout: 20_000 }).toBe(false);
    }
    await safetyLab.relaunch();
  }
});
