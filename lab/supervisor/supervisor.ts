import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { holdFileOf, LAB_SECRET_STORE_NODES_FILE, LAB_SERVICES_FILE, writeJsonAtomic, type LabSecretStoreNode, type LabServiceProcess } from '../contract/index.ts';
import { repoRoot } from '../process/index.ts';
import { SUPERVISED_FILE, type SupervisedProcess, type SupervisedUnit } from './supervisor-files.ts';
import { unsealWhenReady } from './vault-unseal.ts';

/** How often a held unit's hold file is looked at. */
const HOLD_POLL_MS = 200;

/**
 * Keeps every unit running, like a ReplicaSet: a unit that exits (killed, crashed) is started again after the
 * restart delay, on the same port. A SIGSTOPped unit has not exited and is left alone: a frozen pod is not a dead one.
 * A unit with a hold file (holdFileOf) stays down until the file is gone; a Vault node is unsealed after every start.
 */
export class Supervisor {
  private readonly running = new Map<string, SupervisedProcess>();
  private stopping = false;

  constructor(
    private readonly runDir: string,
    private readonly units: SupervisedUnit[],
    private readonly restartDelayMs: number,
    private readonly log: (line: string) => void,
  ) {}

  startAll(): void {
    for (const unit of this.units) this.start(unit, 0);
  }

  /** Stops restarting; the units themselves keep running (`lab down` stops them by pid). */
  detach(): void {
    this.stopping = true;
  }

  private start(unit: SupervisedUnit, restarts: number): void {
    // A fault holds this unit down (as a pod failure would): look again shortly, start once the hold is lifted.
    if (existsSync(holdFileOf(this.runDir, unit.name))) {
      setTimeout(() => {
        if (!this.stopping) this.start(unit, restarts);
      }, HOLD_POLL_MS);
      return;
    }
    mkdirSync(dirname(unit.logFile), { recursive: true });
    const fd = openSync(unit.logFile, 'a');
    const [command, args] = unit.command ? [unit.command, unit.args ?? []] : [process.execPath, ['--import', 'tsx', unit.entry, ...(unit.args ?? [])]];
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, ...unit.env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    child.once('error', (e) => this.log(`${unit.name}: could not start: ${e.message}`));
    if (child.pid === undefined) {
      this.scheduleRestart(unit, restarts);
      return;
    }
    const pid = child.pid;
    this.running.set(unit.name, {
      name: unit.name,
      kind: unit.kind,
      region: unit.region,
      service: unit.service,
      replica: unit.replica,
      port: unit.port,
      pid,
      startedAt: Date.now(),
      restarts,
    });
    this.publish();
    this.log(`${unit.name}: started pid ${pid}${restarts ? ` (restart ${restarts})` : ''}`);
    if (unit.unsealKeyFile && unit.port !== undefined) {
      void unsealWhenReady(`http://127.0.0.1:${unit.port}`, unit.unsealKeyFile, () => this.running.get(unit.name)?.pid === pid && !this.stopping, (line) => this.log(`${unit.name}: ${line}`));
    }
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.log(`${unit.name}: pid ${pid} exited (${signal ?? `code ${code}`}); restarting in ${this.restartDelayMs} ms`);
      this.scheduleRestart(unit, restarts);
    });
  }

  private scheduleRestart(unit: SupervisedUnit, restarts: number): void {
    setTimeout(() => {
      if (!this.stopping) this.start(unit, restarts + 1);
    }, this.restartDelayMs);
  }

  /** services.json is the contract the lab fault driver reads; supervised.json adds the heartbeat and restart counts. */
  private publish(): void {
    const all = this.units.map((u) => this.running.get(u.name)).filter((p): p is SupervisedProcess => p !== undefined);
    const services: LabServiceProcess[] = all
      .filter((p) => p.kind === 'service')
      .map((p) => ({ region: p.region, service: p.service, replica: p.replica, port: p.port!, pid: p.pid, startedAt: p.startedAt }));
    writeJsonAtomic(join(this.runDir, LAB_SERVICES_FILE), services);
    const nodes: LabSecretStoreNode[] = all
      .filter((p) => p.kind === 'vault')
      .map((p) => ({ store: this.units.find((u) => u.name === p.name)?.store ?? 'vault', region: p.region, name: p.name, port: p.port!, pid: p.pid, startedAt: p.startedAt }));
    if (nodes.length) writeJsonAtomic(join(this.runDir, LAB_SECRET_STORE_NODES_FILE), nodes);
    writeJsonAtomic(join(this.runDir, SUPERVISED_FILE), all);
  }
}
