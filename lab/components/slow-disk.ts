import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { FaultlineError, toolsBinDir } from '../../core/index.ts';
import { findBinary, spawnDaemon, waitFor } from '../process/index.ts';

export interface SlowDiskOptions {
  mount: string;
  backing: string;
  controlDir: string;
  logFile: string;
}

/**
 * Whether this machine can mount the lab's FUSE disk: the kernel's FUSE device, root (faultline-slowfs mounts with
 * mount(2) itself, so no setuid fusermount is needed, and lets PostgreSQL's user in with allow_other), and the tool
 * built by setup. When any is missing the lab runs on the plain disk and says so.
 */
export function slowDiskUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the lab does not run as root, which mounting its FUSE disk needs';
  try {
    accessSync('/dev/fuse', constants.R_OK | constants.W_OK);
  } catch {
    return 'this machine has no usable /dev/fuse';
  }
  if (!existsSync(`${toolsBinDir()}/slowfs`)) return 'faultline-slowfs is not built (run `npm run setup`)';
  return undefined;
}

/**
 * Mounts faultline-slowfs over `mount`, mirroring `backing`, with nothing delayed, and waits until the kernel lists
 * the mount. A mount a crashed lab left behind is detached first.
 */
export async function startSlowDisk(options: SlowDiskOptions): Promise<{ pid: number }> {
  // Both must be traversable by PostgreSQL's user: the mount's root shows the backing folder's owner and mode.
  for (const dir of [options.backing, options.mount]) mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (isMounted(options.mount)) detach(options.mount);
  // Rules a crashed run left behind would slow the new lab's databases from the start.
  rmSync(options.controlDir, { recursive: true, force: true });
  mkdirSync(options.controlDir, { recursive: true });
  const proc = await spawnDaemon({
    command: findBinary('slowfs'),
    args: ['-backing', options.backing, '-mount', options.mount, '-control', options.controlDir],
    logFile: options.logFile,
  });
  await waitFor(`slowfs mounted on ${options.mount}`, async () => (isMounted(options.mount) ? true : undefined), { timeoutMs: 10_000, intervalMs: 50, pid: proc.pid });
  return { pid: proc.pid };
}

/** After faultline-slowfs was stopped: a mount still listed (it was killed, or the database held files) is detached. */
export function releaseSlowDisk(mount: string): void {
  if (isMounted(mount)) detach(mount);
}

export function isMounted(mount: string): boolean {
  try {
    return readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .some((line) => line.split(' ')[1] === mount.replace(/ /g, '\\040'));
  } catch {
    return false;
  }
}

function detach(mount: string): void {
  try {
    execFileSync('umount', ['-l', mount], { stdio: 'ignore' });
  } catch (e) {
    throw new FaultlineError('FAULTLINE_HARNESS', `the lab's FUSE disk at ${mount} is still mounted and could not be detached: ${(e as Error).message}`, `detach it by hand: umount -l ${mount}`);
  }
}
