import { FaultlineError } from '../core/index.ts';

/** `--target lab` (the embedded lab) or `--target k8s` / `kubernetes` (Chaos Mesh through kube contexts). */
export function parseTarget(value: string): 'lab' | 'kubernetes' {
  if (value === 'lab') return 'lab';
  if (value === 'k8s' || value === 'kubernetes') return 'kubernetes';
  throw new FaultlineError('FAULTLINE_BAD_INPUT', `unknown target "${value}"`, 'use --target lab or --target k8s');
}
