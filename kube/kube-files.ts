import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FaultlineError } from '../core/index.ts';

/** One process `kube up` started, tracked by pid: the CLI that started it exits, the process stays. */
export interface KubeProcess {
  /** e.g. `kube-apiserver eks-jakarta`. */
  name: string;
  pid: number;
  /** A word its command line contains; a pid reused by something else since is never signalled. */
  expect: string;
  /** Where it listens, for status. */
  port?: number;
  context?: string;
  /** How it was started, so one component can be restarted alone (an API server restart mid-fault, say). */
  command: string;
  args: string[];
  env: Record<string, string>;
  logFile: string;
}

/** What `kube up` wrote: enough for `kube status` and `kube down` in another process. */
export interface KubeState {
  topology: string;
  runDir: string;
  portBase: number;
  ports: number[];
  /** Least-privilege kubeconfig: the faultline ServiceAccount's token per context, bound only by deploy/rbac/. */
  kubeconfig: string;
  /** Operator kubeconfig (system:masters), for setting clusters up and for tests that play an administrator. */
  adminKubeconfig: string;
  clusters: { context: string; regions: string[]; server: string; etcdPrefix: string; auditLog: string }[];
  processes: KubeProcess[];
  /** Set once every cluster is up and every workload runs. */
  ready: boolean;
  startedAt: string;
}

export const KUBE_STATE_FILE = 'kube.json';

export function kubeStateFile(runDir: string): string {
  return join(runDir, KUBE_STATE_FILE);
}

export function writeKubeState(state: KubeState): void {
  const file = kubeStateFile(state.runDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${file}.tmp`, file);
}

export function readKubeState(runDir: string): KubeState | undefined {
  const file = kubeStateFile(runDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as KubeState;
}

export function kubeNotRunning(runDir: string): FaultlineError {
  return new FaultlineError(
    'FAULTLINE_LAB_NOT_RUNNING',
    `no loopback Kubernetes control plane is running in ${runDir}`,
    'start one with `faultline kube up` (add --run-dir if it lives elsewhere)',
  );
}
