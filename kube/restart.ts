import { resolve } from 'node:path';
import { FaultlineError } from '../core/index.ts';
import { stopPid, waitFor } from '../lab/process/index.ts';
import { pkiPaths } from './certificates.ts';
import { httpsGet } from './https-probe.ts';
import { kubeNotRunning, readKubeState, writeKubeState } from './kube-files.ts';
import { spawnProcess } from './kube-up.ts';

/**
 * Stops one component of a running control plane and starts it again with the same command line: an API server
 * restarted mid-fault drops every watch open on it, which is what the driver must survive. Resolves once it is
 * serving again (for an API server: /readyz answers 200). Returns how long it was away.
 */
export async function restartComponent(options: { runDir: string; name: string }): Promise<{ downMs: number; readyMs: number }> {
  const runDir = resolve(options.runDir);
  const state = readKubeState(runDir);
  if (!state) throw kubeNotRunning(runDir);
  const proc = state.processes.find((p) => p.name === options.name);
  if (!proc) throw new FaultlineError('FAULTLINE_UNKNOWN_NAME', `no component "${options.name}" in ${runDir}`, `components: ${state.processes.map((p) => p.name).join(', ')}`);
  const t0 = Date.now();
  await stopPid(proc.pid, { expect: proc.expect });
  const downMs = Date.now() - t0;
  proc.pid = await spawnProcess(proc);
  writeKubeState(state);
  if (proc.expect === 'kube-apiserver') {
    const pki = pkiPaths(runDir);
    await waitFor(`${proc.name} /readyz`, async () => ((await httpsGet(`https://127.0.0.1:${proc.port}/readyz`, { ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey })).status === 200 ? true : undefined), {
      timeoutMs: 120_000,
      pid: proc.pid,
      intervalMs: 100,
    });
  }
  return { downMs, readyMs: Date.now() - t0 };
}
