import { sleep, sleepUntil } from './abortable-sleep.ts';
import type { AppliedFaults } from './applied-faults.ts';
import { formatDuration, parseDuration } from './duration.ts';
import { FaultlineError } from './errors.ts';
import { DEFAULT_RUNBOOK_TIMEOUT, describeRunbook, type FailoverPlan, type Runbook, type RunbookOutcome } from './failover.ts';
import type { FailoverDriver } from './failover-driver.ts';
import type { Journal } from './journal.ts';
import type { FailoverWindow } from './slo-judge.ts';

export interface FailoverStepContext {
  plan: FailoverPlan;
  driver: FailoverDriver;
  journal: Journal;
  faults: AppliedFaults;
  /** The fault a manual trigger counts from: the plan's, else the scenario's first. */
  fault: string;
  signal: AbortSignal;
  say(line: string): void;
}

/** The failover (and failback) of one run, as the timeline saw them; the RTO phases and RPO clock read these. */
export interface FailoverRecord {
  failover?: FailoverWindow;
  failback?: FailoverWindow;
}

/**
 * Failover as a step of the timeline: after the fault starts (manual) or as the system does it itself (automatic),
 * the runbook runs, its start, end and result journaled; after the fault is reverted, the failback. A runbook that
 * fails or outlives its timeout throws FAULTLINE_RUNBOOK_FAILED: the engine ends the fault phase, reverts every
 * fault, and the run is a harness error.
 */
export async function runFailoverStep(c: FailoverStepContext, record: FailoverRecord): Promise<void> {
  const { plan } = c;
  const applied = await appliedFault(c);
  const timeoutMs = parseDuration(plan.timeout ?? DEFAULT_RUNBOOK_TIMEOUT, 'failover timeout');
  if (plan.trigger.mode === 'manual') {
    const due = applied.range.start + parseDuration(plan.trigger.after, 'failover after');
    c.say(`failover ${plan.from} → ${plan.to} due in ${formatDuration(Math.max(0, due - Date.now()))} (manual, ${describeRunbook(plan.runbook)})`);
    await sleepUntil(due, c.signal);
    record.failover = await runOne(c, 'failover', plan.runbook, timeoutMs, 'manual');
  } else {
    const within = parseDuration(plan.trigger.within, 'failover within');
    c.say(`waiting up to ${formatDuration(within)} for the system's own failover ${plan.from} → ${plan.to}`);
    record.failover = await awaitAutomatic(c, applied.range.start, within);
  }
  if (!plan.failback) return;
  while (!applied.reverted) await sleep(20, c.signal);
  await sleepUntil(applied.range.end + parseDuration(plan.failback.after, 'failback after'), c.signal);
  const failbackTimeout = parseDuration(plan.failback.timeout ?? DEFAULT_RUNBOOK_TIMEOUT, 'failback timeout');
  record.failback = await runOne(c, 'failback', plan.failback.runbook, failbackTimeout, 'manual');
}

async function runOne(c: FailoverStepContext, action: 'failover' | 'failback', runbook: Runbook, timeoutMs: number, trigger: 'manual'): Promise<FailoverWindow> {
  const description = describeRunbook(runbook);
  c.journal.append({ type: 'failover', action, status: 'start', trigger, runbook: description, at: Date.now() });
  c.say(`${action}: running ${description}`);
  const outcome = await c.driver.run(runbook, { action, timeoutMs, signal: c.signal });
  return settle(c, action, trigger, description, outcome);
}

async function awaitAutomatic(c: FailoverStepContext, since: number, timeoutMs: number): Promise<FailoverWindow> {
  if (!c.driver.awaitAutomatic) {
    throw new FaultlineError('FAULTLINE_RUNBOOK_FAILED', 'this target cannot observe an automatic failover', 'use a manual trigger with a runbook');
  }
  const outcome = await c.driver.awaitAutomatic({ since, timeoutMs, signal: c.signal });
  c.journal.append({ type: 'failover', action: 'failover', status: 'start', trigger: 'automatic', runbook: describeRunbook(c.plan.runbook), at: outcome.startedAt });
  return settle(c, 'failover', 'automatic', describeRunbook(c.plan.runbook), outcome);
}

function settle(c: FailoverStepContext, action: 'failover' | 'failback', trigger: 'manual' | 'automatic', description: string, o: RunbookOutcome): FailoverWindow {
  c.journal.append({
    type: 'failover',
    action,
    status: 'end',
    trigger,
    runbook: description,
    at: o.endedAt,
    ok: o.ok,
    startedAt: o.startedAt,
    endedAt: o.endedAt,
    ...(o.detectedAt !== undefined ? { detectedAt: o.detectedAt } : {}),
    detail: o.detail,
    ...(o.error ? { error: o.error } : {}),
  });
  c.say(`${action} ${o.ok ? 'done' : 'FAILED'} in ${o.endedAt - o.startedAt} ms${o.error ? `: ${o.error}` : ''}`);
  if (!o.ok) {
    throw new FaultlineError(
      'FAULTLINE_RUNBOOK_FAILED',
      `the ${action} runbook (${description}) failed: ${o.error ?? 'no reason given'}`,
      'every fault is reverted; the system is left as the runbook left it. Read the runbook detail in the journal',
    );
  }
  return { start: o.startedAt, end: o.endedAt, ok: o.ok, fault: c.fault, ...(o.detectedAt !== undefined ? { detectedAt: o.detectedAt } : {}) };
}

/** The fault the trigger counts from, once it is applied. */
async function appliedFault(c: FailoverStepContext) {
  for (;;) {
    const fault = c.faults.find(c.fault);
    if (fault?.applied) return fault;
    await sleep(20, c.signal);
  }
}
