import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '../../scenarios/fixtures.ts';
import { ExitCode, Ledger } from '../../core/index.ts';
import type { LabState } from '../../lab/index.ts';
import { readLabServices } from '../../lab/index.ts';
import { activeToxics, processState } from '../support/lab-probes.ts';
import { runCli, startCli, type CliRun } from '../support/faultline-cli.ts';

// Faults never outlive the run: the real CLI is interrupted, terminated or killed -9 mid-fault, and the fault is
// gone afterwards, by the harness's own revert, by the lab watchdog once the TTL passes, or by faultline cleanup.

const injectArgs = (lab: LabState, ...fault: string[]) => ['inject', ...fault, '--run-dir', lab.runDir, '--rate', '5'];

async function untilInjected(run: CliRun): Promise<void> {
  await expect.poll(() => run.output(), { timeout: 60_000, message: 'the fault was never injected' }).toMatch(/injected /);
}

/** Running k6 processes of the game-day script (the one `faultline inject` uses). */
function k6Processes(): string[] {
  try {
    return execFileSync('pgrep', ['-f', 'k6 run .*load/k6/gameday[.]ts'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function replicaApplyDelay(lab: LabState, region: string): string {
  const pg = lab.postgres.find((p) => p.region === region && p.role === 'replica')!;
  const user = process.getuid?.() === 0 ? 'postgres' : process.env.USER ?? 'postgres';
  return execFileSync('psql', ['-X', '-A', '-t', '-h', '127.0.0.1', '-p', String(pg.port), '-U', user, '-d', 'postgres', '-c', 'SHOW recovery_min_apply_delay'], { encoding: 'utf8' }).trim();
}

test.describe('faults never outlive the run', () => {
  test.afterEach(async ({ lab }) => {
    // Whatever a failed assertion left behind must not leak into the next test.
    await runCli(['cleanup', '--run-dir', lab.runDir]);
  });

  test('SIGINT mid-partition: the harness reverts every toxic and exits 130', async ({ lab }) => {
    const run = startCli(injectArgs(lab, 'partition', 'jkt', 'bdg', '--for', '5m'));
    await untilInjected(run);
    expect((await activeToxics(lab)).length).toBeGreaterThan(0);
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code, run.output()).toBe(ExitCode.interrupted);
    expect(await activeToxics(lab)).toEqual([]);
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
    expect(run.output()).toMatch(/reverted partition-jkt-bdg \(interrupted\)/);
  });

  test('SIGTERM mid-pod-failure: the frozen processes are continued', async ({ lab }) => {
    const run = startCli(injectArgs(lab, 'pod-failure', 'sby/service-backup', '--mode', 'all', '--for', '5m'));
    await untilInjected(run);
    const backups = readLabServices(lab.runDir).filter((p) => p.region === 'sby' && p.service === 'service-backup');
    expect(backups.length).toBeGreaterThan(0);
    expect(backups.map((p) => processState(p.pid))).toEqual(backups.map(() => 'T'));
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    expect(code, run.output()).toBe(ExitCode.interrupted);
    for (const p of backups) expect(processState(p.pid)).not.toBe('T');
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
  });

  test('kill -9 mid-partition: the lab watchdog reverts it when its TTL passes', async ({ lab }) => {
    const run = startCli(injectArgs(lab, 'partition', 'jkt', 'sby', '--for', '4s', '--ttl-grace', '3s'));
    await untilInjected(run);
    run.child.kill('SIGKILL');
    await run.exited;
    // Nobody is left to revert it: the toxics stay until the watchdog acts on the ledger's TTL.
    expect((await activeToxics(lab)).length).toBeGreaterThan(0);
    expect(new Ledger(lab.ledgerDir).list()).toHaveLength(1);
    await expect.poll(() => activeToxics(lab), { timeout: 30_000 }).toEqual([]);
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
    // The load generator the killed harness started dies with it, instead of running out its duration.
    await expect.poll(() => k6Processes(), { timeout: 20_000 }).toEqual([]);
  });

  test('kill -9 mid-replica-lag: faultline cleanup reverts it at once', async ({ lab }) => {
    const run = startCli(injectArgs(lab, 'replica-lag', 'bdg', '5s', '--for', '5m'));
    await untilInjected(run);
    expect(replicaApplyDelay(lab, 'bdg')).toBe('5s');
    run.child.kill('SIGKILL');
    await run.exited;
    const cleanup = await runCli(['cleanup', '--run-dir', lab.runDir]);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(cleanup.output).toMatch(/reverted replica-lag-rds-bdg/);
    expect(replicaApplyDelay(lab, 'bdg')).toBe('0');
    expect(new Ledger(join(lab.runDir, 'ledger')).list()).toEqual([]);
  });
});
