import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FaultlineError } from '../core/index.ts';
import { cmdlineOf, isAlive, isPortFree, stopPid, waitFor } from '../lab/process/index.ts';
import { readKubeState, writeKubeState, type KubeProcess, type KubeState } from './kube-files.ts';
import { KUBE_RUN_DIR } from './kube-plan.ts';

export interface KubeDownOptions {
  /** Default `.faultline/kube`. */
  runDir?: string;
  log?: (line: string) => void;
}

export interface KubeDownResult {
  found: boolean;
  stopped: string[];
}

/** Order matters: controllers first (nothing recreates or reconciles while the rest stops), etcd last. */
const STOP_ORDER = ['chaos-controller-manager', 'kwok', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd'];

const owns = (p: KubeProcess) => isAlive(p.pid) && (cmdlineOf(p.pid) ?? '').includes(p.expect);

export function isKubeAlive(state: KubeState): boolean {
  return state.processes.some(owns);
}

/** Stops processes by pid in dependency order and waits until each is gone. */
export async function stopKubeProcesses(processes: KubeProcess[], log: (line: string) => void = () => {}): Promise<string[]> {
  const stopped: string[] = [];
  for (const kind of STOP_ORDER) {
    const group = processes.filter((p) => p.expect === kind);
    await Promise.all(
      group.map(async (p) => {
        const result = await stopPid(p.pid, { expect: p.expect, graceMs: 10_000 });
        if (result === 'stopped' || result === 'killed') {
          stopped.push(p.name);
          log(`  stopped ${p.name}${result === 'killed' ? ' (SIGKILL)' : ''}`);
        }
      }),
    );
  }
  return stopped;
}

/**
 * Stops everything `kube up` started and waits until no process and no port of it is left. Removes the cluster data
 * (etcd); keeps the certificates, kubeconfigs and logs.
 */
export async function kubeDown(options: KubeDownOptions = {}): Promise<KubeDownResult> {
  const runDir = resolve(options.runDir ?? KUBE_RUN_DIR);
  const log = options.log ?? (() => {});
  const state = readKubeState(runDir);
  if (!state) {
    log(`no control plane in ${runDir}: nothing to stop`);
    return { found: false, stopped: [] };
  }
  const stopped = await stopKubeProcesses(state.processes, log);
  const held = async () => (await Promise.all(state.ports.map(async (p) => ((await isPortFree(p)) ? undefined : p)))).filter((p) => p !== undefined);
  const released = await waitFor('control-plane ports to be released', async () => ((await held()).length ? undefined : true), { timeoutMs: 15_000, intervalMs: 200 }).catch(() => false);
  if (!released) {
    const ports = await held();
    throw new FaultlineError('FAULTLINE_HARNESS', `control-plane processes are stopped, but ports ${ports.join(', ')} are still bound`, `see what holds them: ss -ltnp | grep -E '${ports.join('|')}'`);
  }
  state.processes = [];
  state.ready = false;
  writeKubeState(state);
  rmSync(join(runDir, 'etcd'), { recursive: true, force: true });
  log(`kube down: ${stopped.length} processes stopped; no process and no port left; logs kept in ${join(runDir, 'logs')}`);
  return { found: true, stopped };
}
