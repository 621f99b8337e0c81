import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LEASE_RENEW_MS, LEASE_TTL_MS, leaseHolder, targetBusy, type LeaseHolder, type LeaseRequest, type TargetLease } from '../../core/index.ts';
import { absoluteRunDir, isLiveHolder, LAB_LEASE_FILE, readLabState, readLeaseHolders, writeJsonAtomic } from '../../lab/contract/index.ts';

/** A lock older than this was left by a process that died inside the few milliseconds it holds one. */
const STALE_LOCK_MS = 2_000;

/**
 * The lab's lease: `lease.json` in its run folder lists the runs holding it, each with a TTL it renews every few
 * seconds. Read-modify-write happens under a lock folder (mkdir is atomic), so two runs starting together cannot
 * both see a free lab. A holder whose harness died on this machine, or whose TTL passed, holds nothing.
 */
export async function takeLabLease(runDir: string, request: LeaseRequest): Promise<TargetLease> {
  const dir = absoluteRunDir(runDir);
  readLabState(dir); // no lab, no lease: the refusal says to start one
  const me = leaseHolder(request.runId, request.scenario);
  const others = await locked(dir, () => {
    const live = readLeaseHolders(dir).filter((h) => isLiveHolder(h, me.host) && h.runId !== me.runId);
    if (live.length && !request.allowConcurrent) throw targetBusy(`lab in ${dir}`, live);
    writeHolders(dir, [...live, { ...me, ...(live.length ? { concurrent: true } : {}) }]);
    return live;
  });
  return new LabLease(dir, me, others, request.onOther);
}

class LabLease implements TargetLease {
  #others: LeaseHolder[];
  readonly #timer: NodeJS.Timeout;
  #released = false;

  constructor(
    private readonly dir: string,
    private readonly me: LeaseHolder,
    others: LeaseHolder[],
    private readonly onOther: (h: LeaseHolder) => void,
  ) {
    this.#others = others;
    for (const o of others) onOther(o);
    this.#timer = setInterval(() => void this.renew().catch(() => undefined), LEASE_RENEW_MS);
    this.#timer.unref();
  }

  get others(): readonly LeaseHolder[] {
    return this.#others;
  }

  /** Pushes this run's expiry out, and notices runs that joined meanwhile (with --allow-concurrent). */
  async renew(): Promise<void> {
    if (this.#released) return;
    this.#others = await locked(this.dir, () => {
      const live = readLeaseHolders(this.dir).filter((h) => isLiveHolder(h, this.me.host) && h.runId !== this.me.runId);
      writeHolders(this.dir, [...live, { ...this.me, expiresAt: Date.now() + LEASE_TTL_MS }]);
      return live;
    });
    for (const o of this.#others) this.onOther(o);
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    await locked(this.dir, () => {
      writeHolders(this.dir, readLeaseHolders(this.dir).filter((h) => h.runId !== this.me.runId && isLiveHolder(h, this.me.host)));
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }
}

function writeHolders(dir: string, holders: LeaseHolder[]): void {
  writeJsonAtomic(join(dir, LAB_LEASE_FILE), { holders });
}

async function locked<T>(dir: string, body: () => T): Promise<T> {
  const lock = join(dir, `${LAB_LEASE_FILE}.lock`);
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockAge(lock) > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
      if (attempt > 500) throw new Error(`the lab's lease lock ${lock} stays taken; remove it if no faultline runs`);
    }
  }
  try {
    return body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockAge(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

