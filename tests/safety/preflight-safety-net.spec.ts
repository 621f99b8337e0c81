import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, Ledger } from '../../core/index.ts';
import { activeToxics } from '../support/lab-probes.ts';
import { runCli, startCli } from '../support/faultline-cli.ts';
import { expect, HOLD_THROUGH_GUARDRAILS, test } from './support/safety-lab.ts';

// Preflight checks what the safety net needs before anything starts: the TTL watchdog working, a ledger that takes
// entries, free disk for the journal. Each refusal is a coded error with its hint, exit 2, and nothing was started:
// no load, no ledger entry, no toxic.

async function expectNothingStarted(lab: { ledgerDir: string } & Parameters<typeof activeToxics>[0], session: string) {
  expect(existsSync(join(session, 'k6')), 'no load was started').toBe(false);
  expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
  expect(await activeToxics(lab)).toEqual([]);
}

const inject = (runDir: string, session: string, env: Record<string, string> = {}) =>
  runCli(['inject', 'partition', 'jkt', 'bdg', '--for', '30s', '--rate', '10', '--run-dir', runDir], { FAULTLINE_SESSION_DIR: session, ...env });

test('the TTL watchdog frozen: refused with FAULTLINE_WATCHDOG_DOWN, nothing started', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  process.kill(lab.supervisor.pid, 'SIGSTOP');
  try {
    const { code, output } = await inject(lab.runDir, session);
    expect(code, output).toBe(ExitCode.preflight);
    expect(output).toContain('FAULTLINE_WATCHDOG_DOWN');
    expect(output).toMatch(/lab supervisor \(its TTL watchdog, pid \d+\) is frozen/);
    expect(output).toContain('faultline lab down && faultline lab up');
    await expectNothingStarted(lab, session);
    const status = await runCli(['lab', 'status', '--run-dir', lab.runDir]);
    expect(status.code).toBe(ExitCode.preflight);
    expect(status.output).toMatch(/supervisor .* FAIL .*frozen/);
  } finally {
    process.kill(lab.supervisor.pid, 'SIGCONT');
  }
});

test('a ledger that cannot be written (immutable folder: EPERM even for root): refused at preflight with a coded error', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  execFileSync('chattr', ['+i', lab.ledgerDir]);
  try {
    const { code, output } = await inject(lab.runDir, session);
    expect(code, output).toBe(ExitCode.preflight);
    expect(output).toContain('FAULTLINE_LEDGER_UNWRITABLE');
    expect(output).toMatch(/cannot be written \(EPERM/);
    expect(output).toContain(`lsattr -d ${lab.ledgerDir}`);
    // Refused in preflight, before load: no raw stack, no "17 s in".
    expect(output).not.toMatch(/^\s+at /m);
    await expectNothingStarted(lab, session);
  } finally {
    execFileSync('chattr', ['-i', lab.ledgerDir]);
  }
});

test('too little free disk for the journal: refused with FAULTLINE_DISK_FULL', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  // The real filesystem, asked for more than any disk here has: the check reads statfs, not a stub.
  const { code, output } = await inject(lab.runDir, session, { FAULTLINE_MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) });
  expect(code, output).toBe(ExitCode.preflight);
  expect(output).toContain('FAULTLINE_DISK_FULL');
  expect(output).toMatch(/MB free where the journal goes/);
  await expectNothingStarted(lab, session);
});

test('the supervisor and the harness killed -9 mid-fault: nothing reverts it; status, preflight and cleanup say so and fix it', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  // Held through the availability guardrail: a jkt↔sby partition fails sby's writes, and a guardrail revert before the
  // kill would leave nothing for the watchdog to miss (a CI run found the ledger empty that way). Held 6 s, and the
  // kill follows "injected" within 100 ms, so a slow machine still kills it mid-fault.
  const run = startCli(['inject', 'partition', 'jkt', 'sby', '--for', '6s', '--ttl-grace', '2s', '--rate', '10', ...HOLD_THROUGH_GUARDRAILS, '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
  try {
    await expect.poll(() => run.output(), { timeout: 60_000, intervals: [100] }).toMatch(/injected /);
    process.kill(lab.supervisor.pid, 'SIGKILL');
    run.child.kill('SIGKILL');
    await run.exited;
    // Past the TTL: with the watchdog dead too, nobody reverts the partition. That is what is left.
    const entries = new Ledger(lab.ledgerDir).list();
    expect(entries, `the killed run's fault is still in the ledger; the run printed:\n${run.output()}`).toHaveLength(1);
    const entry = entries[0]!;
    await expect.poll(() => Date.now() > entry.expiresAt + 2_000, { timeout: 30_000 }).toBe(true);
    expect((await activeToxics(lab)).length).toBeGreaterThan(0);

    const status = await runCli(['lab', 'status', '--run-dir', lab.runDir]);
    expect(status.output).toMatch(/supervisor .* FAIL .*not running/);
    expect(status.output).toMatch(/partition-jkt-sby \(partition\) of run adhoc-partition-\S+, applied \d+s ago, TTL passed \d+s ago/);
    expect(status.output).toContain('faults of a killed harness are never reverted');
    expect(status.output).toMatch(/belong to no running experiment .*: faultline cleanup reverts them now/);

    const refused = await runCli(['inject', 'latency', 'jkt', 'bdg', '10ms', '--for', '10s', '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
    expect(refused.code, refused.output).toBe(ExitCode.preflight);
    expect(refused.output).toContain('FAULTLINE_WATCHDOG_DOWN');
    // The killed run's fault is a leftover of a run no longer running, not "from an earlier run" of a live one.
    expect(refused.output).toMatch(/fault\(s\) of a run that is no longer running \(partition-jkt-sby of adhoc-partition-/);

    const cleanup = await runCli(['cleanup', '--run-dir', lab.runDir]);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(await activeToxics(lab)).toEqual([]);
    expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
  } finally {
    run.child.kill('SIGKILL');
    // Its services are orphans now (no supervisor): a fresh lab for the tests after this one.
    await safetyLab.relaunch();
  }
});

