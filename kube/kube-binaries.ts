import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError, toolsBinDir } from '../core/index.ts';

/** The binaries `scripts/setup.sh` builds from their Go modules into `.tools/bin` for the loopback clusters. */
export const KUBE_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'chaos-controller-manager'] as const;
export type KubeBinary = (typeof KUBE_BINARIES)[number];

/** Chaos Mesh's own CRDs, copied by setup from the module the controller was built from, so both always match. */
export function chaosMeshCrdFile(): string {
  return join(toolsBinDir(), '..', 'share', 'chaos-mesh', 'crd.yaml');
}

/** Every binary's absolute path; refuses, naming all that are missing, before anything starts. */
export function kubeBinaries(): Record<KubeBinary, string> {
  const dir = toolsBinDir();
  const missing: string[] = [];
  const found = Object.fromEntries(
    KUBE_BINARIES.map((name) => {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
      } catch {
        missing.push(name);
      }
      return [name, path];
    }),
  ) as Record<KubeBinary, string>;
  if (!existsSync(chaosMeshCrdFile())) missing.push('Chaos Mesh CRDs (share/chaos-mesh/crd.yaml)');
  if (missing.length) {
    throw new FaultlineError(
      'FAULTLINE_SETUP_MISSING',
      `the loopback control plane needs ${missing.join(', ')} in ${dir}; nothing was started`,
      'run `npm run setup` (builds etcd, Kubernetes, kwok and Chaos Mesh from their Go modules, about 15 minutes the first time), then retry',
    );
  }
  return found;
}
