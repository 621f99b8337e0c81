import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError, Ledger } from '../core/index.ts';
import { readJsonFile, LAB_SERVICES_FILE, LAB_STATE_FILE, LAB_WATCHDOG_FILE, type LabState } from './contract/index.ts';
import { releaseSlowDisk } from './components/slow-disk.ts';
import { absoluteRunDir } from './contract/index.ts';
import { readStarted, STARTED_FILE, type StartedComponent, type StartedFile } from './lab-files.ts';
import { cmdlineOf, isAlive, isPortFree, stopPid, waitFor } from './process/index.ts';
import { readSupervised, SUPERVISED_FILE, SUPERVISOR_CONFIG_FILE, UNIT_COMMAND_WORD, type SupervisedProcess } from './supervisor/index.ts';

export interface LabDownOptions {
  /** Default `.faultline/lab`, relative to the working directory. */
  runDir: string;
  /** Keep PostgreSQL's data so the next `lab up` skips initdb and pg_basebackup (a warm start). Default false. */
  keepData?: boolean;
  log?: (line: string) => void;
}

export interface LabDownResult {
  /** Processes stopped, by name. */
  stopped: string[];
  /** False when there was no lab to stop. */
  found: boolean;
}

/**
 * Stops everything `lab up` started, by pid: the supervisor first so it restarts nothing, then the services, then
 * the rest. Waits until no lab process and no lab port is left, and keeps the logs.
 */
export async function labDown(options: LabDownOptions): Promise<LabDownResult> {
  const runDir = absoluteRunDir(options.runDir);
  const log = options.log ?? (() => {});
  const started = readStarted(runDir);
  if (!started) {
    log(`no lab in ${runDir}: nothing to stop`);
    return { stopped: [], found: false };
  }
  await revertLeftoverFaults(runDir, log);
  const stopped = await stopComponents(runDir, started, { log });
  const released = await waitFor('lab ports to be released', async () => ((await heldPorts(started.ports)).length ? undefined : true), {
    timeoutMs: 15_000,
    intervalMs: 200,
  }).catch(() => false);
  if (!released) {
    const held = await heldPorts(started.ports);
    throw new FaultlineError(
      'FAULTLINE_HARNESS',
      `lab processes are stopped, but ports ${held.join(', ')} are still bound`,
      `see what holds them: ss -ltnp | grep -E '${held.join('|')}'`,
    );
  }
  for (const file of [LAB_STATE_FILE, LAB_SERVICES_FILE, SUPERVISED_FILE, SUPERVISOR_CONFIG_FILE, STARTED_FILE, LAB_WATCHDOG_FILE]) rmSync(join(runDir, file), { force: true });
  if (!options.keepData) for (const dir of started.dataDirs) rmSync(dir, { recursive: true, force: true });
  log(`lab down: ${stopped.length} processes stopped; logs kept in ${join(runDir, 'logs')}${options.keepData ? ', data kept' : ''}`);
  return { stopped, found: true };
}

/** True when any process of the lab in `runDir` still runs. */
export function isLabAlive(runDir: string): boolean {
  const started = readStarted(runDir);
  if (started?.components.some((c) => ownsPid(c.pid, c.expect))) return true;
  return readSupervised(absoluteRunDir(runDir)).some((p) => isAlive(p.pid));
}

/** Stops the given components (and the supervised units) in dependency order. Used by down and by a failed up. */
export async function stopComponents(runDir: string, started: StartedFile, options: { log: (line: string) => void }): Promise<string[]> {
  const stopped: string[] = [];
  const stop = async (name: string, pid: number, expect: string, signal: NodeJS.Signals) => {
    const result = await stopPid(pid, { expect, signal });
    if (result === 'stopped' || result === 'killed') {
      stopped.push(name);
      options.log(`  stopped ${name} (pid ${pid}${result === 'killed' ? ', had to SIGKILL' : ''})`);
    }
  };
  const byKind = (kind: StartedComponent['kind']) => started.components.filter((c) => c.kind === kind);
  const stopAll = (components: StartedComponent[]) => Promise.all(components.map((c) => stop(c.name, c.pid, c.expect, c.stopSignal)));

  // The supervisor first: otherwise it would restart the services we are about to stop.
  await stopAll(byKind('supervisor'));
  const units: SupervisedProcess[] = readSupervised(runDir);
  await Promise.all([
    ...units.map((u) => stop(u.name, u.pid, UNIT_COMMAND_WORD[u.kind], 'SIGTERM')),
    stopAll(byKind('nginx')),
  ]);
  await Promise.all([stopAll(byKind('prometheus')), stopAll(byKind('redis')), stopAll(byKind('toxiproxy')), stopAll(byKind('alertmanager')), stopAll(byKind('dnsmasq')), stopAll(byKind('nats'))]);
  // Replicas before the primary (started first), so none logs a lost primary on its way down.
  const [primary, ...replicas] = byKind('postgres');
  await stopAll(replicas);
  await stopAll(primary ? [primary] : []);
  // The databases' FUSE disk goes last, once nothing holds its files; a mount it could not release is detached.
  await stopAll(byKind('slowfs'));
  const disk = readJsonFile<LabState>(join(runDir, LAB_STATE_FILE))?.slowDisk;
  if (disk) releaseSlowDisk(disk.mount);
  return stopped;
}

/**
 * Faults still in the ledger die with the lab's processes, except settings kept in PostgreSQL's data (a replica
 * apply delay). Reverting them while the lab still runs keeps kept data clean for the next `lab up`.
 */
async function revertLeftoverFaults(runDir: string, log: (line: string) => void): Promise<void> {
  const ledger = new Ledger(join(runDir, 'ledger'));
  for (const entry of ledger.list()) {
    try {
      await ledger.revert(entry);
      log(`  reverted leftover fault ${entry.fault} (${entry.id})`);
    } catch (e) {
      log(`  could not revert leftover fault ${entry.fault}: ${(e as Error).message}`);
    }
  }
}

async function heldPorts(ports: number[]): Promise<number[]> {
  const held: number[] = [];
  for (const port of ports) if (!(await isPortFree(port))) held.push(port);
  return held;
}

function ownsPid(pid: number, expect: string): boolean {
  return isAlive(pid) && (cmdlineOf(pid) ?? '').includes(expect);
}
