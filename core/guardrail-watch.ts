import { sleep } from './abortable-sleep.ts';
import type { Guardrail } from './guardrail.ts';
import { recordSensor, sensorFor, type GuardrailSensor, type Reading } from './guardrail-sensors.ts';
import type { Journal } from './journal.ts';
import type { RequestWindows } from './request-window.ts';
import { compare } from './slo.ts';
import type { SloJudge } from './slo-judge.ts';

/** Why a run was cut short by a guardrail; `detectedAt` is when the harness saw it, for reaction-time figures. */
export class GuardrailBreach extends Error {
  constructor(
    readonly guardrail: string,
    message: string,
    readonly detectedAt: number,
    /** True when the guardrail could not be evaluated: the run fails closed. */
    readonly unreadable: boolean,
  ) {
    super(message);
  }
}

export interface GuardrailWatch {
  guardrails: Guardrail[];
  judge: Pick<SloJudge, 'read' | 'ping' | 'sourceName'>;
  /** The load generator's request stream; request guardrails read it. */
  requests?: RequestWindows;
  journal: Journal;
  /** Stop watching at this instant (epoch ms): the last scheduled revert. */
  until: number;
  signal: AbortSignal;
  onBreach(breach: GuardrailBreach): void;
  /** Every successful reading, for progress output. */
  onReading?(guardrail: { name: string; comparator: string; threshold: number }, value: number): void;
}

/** Consecutive failed reads (a missed deadline, an error, no data) that fail the run closed. */
export const MISSES_TO_FAIL_CLOSED = 2;
/** How often the SLO source itself is read while faults are on, and the deadline of each read. */
export const RECORD_WATCH_EVERY_MS = 500;
/** A guardrail evaluated more often than this is journaled this often, and whenever its state changes. */
const JOURNAL_EVERY_MS = 1_000;

/**
 * Evaluates every guardrail on its own cadence until `until`, plus a watch on the SLO source itself (the record SLOs
 * are judged from). Fails closed: every read has a deadline tied to its interval, and two failed reads in a row (a
 * missed deadline, an error, no data), or a request guardrail without enough requests to read for 10 s, count as a
 * breach, because an unwatched fault is exactly what guardrails exist to prevent.
 */
export async function watchGuardrails(w: GuardrailWatch): Promise<void> {
  const sensors = w.guardrails.map((g) => sensorFor(g, { judge: w.judge, requests: w.requests }));
  const { ping } = w.judge;
  if (ping) sensors.push(recordSensor(`${w.judge.sourceName ?? 'the SLO source'} answers`, (signal) => ping.call(w.judge, signal), RECORD_WATCH_EVERY_MS));
  await Promise.all(sensors.map((s) => watchOne(s, w)));
}

type Outcome = Reading | { missed: string; timedOut: boolean };

async function watchOne(s: GuardrailSensor, w: GuardrailWatch): Promise<void> {
  let breachingSince: number | undefined;
  let blindSince: number | undefined;
  let misses = 0;
  let journaledAt = 0;
  let journaledBreaching = false;
  while (!w.signal.aborted && Date.now() < w.until) {
    const tick = Date.now();
    const outcome = await readWithin(s, w.signal);
    if (w.signal.aborted) return;

    if ('missed' in outcome) {
      misses++;
      const failClosed = misses >= MISSES_TO_FAIL_CLOSED;
      w.journal.append({ type: 'guardrail', name: s.name, value: null, threshold: s.threshold, breached: failClosed, error: outcome.missed });
      if (failClosed) {
        w.onBreach(new GuardrailBreach(s.name, `guardrail "${s.name}" could not be evaluated ${misses} times in a row: ${outcome.missed}`, Date.now(), true));
        return;
      }
      // A missed deadline is retried at once (the interval is already spent); an error waits its turn.
      if (!outcome.timedOut && !(await pause(s.everyMs - (Date.now() - tick), w.signal))) return;
      continue;
    }
    misses = 0;

    if ('none' in outcome) {
      blindSince ??= tick;
      const blind = tick - blindSince >= s.blindLimitMs;
      if (blind || tick - journaledAt >= JOURNAL_EVERY_MS) {
        journaledAt = tick;
        w.journal.append({ type: 'guardrail', name: s.name, value: null, threshold: s.threshold, breached: blind, error: outcome.none });
      }
      if (blind) {
        w.onBreach(new GuardrailBreach(s.name, `guardrail "${s.name}" could not be evaluated for ${Math.round((tick - blindSince) / 1000)}s: ${outcome.none}`, Date.now(), true));
        return;
      }
    } else {
      blindSince = undefined;
      const breaching = compare(outcome.value, s.comparator, s.threshold);
      breachingSince = breaching ? (breachingSince ?? tick) : undefined;
      const breached = breachingSince !== undefined && tick - breachingSince >= s.forMs;
      if (breached || breaching !== journaledBreaching || tick - journaledAt >= JOURNAL_EVERY_MS) {
        journaledAt = tick;
        journaledBreaching = breaching;
        w.journal.append({ type: 'guardrail', name: s.name, value: outcome.value, threshold: s.threshold, breached, ...(outcome.samples === undefined ? {} : { samples: outcome.samples }) });
      }
      w.onReading?.(s, outcome.value);
      if (breached) {
        w.onBreach(new GuardrailBreach(s.name, `${s.name}: ${round(outcome.value)} ${s.comparator} ${s.threshold}`, Date.now(), false));
        return;
      }
    }
    if (!(await pause(s.everyMs - (Date.now() - tick), w.signal))) return;
  }
}

/** One read, given up at its deadline; the read is told to stop (its signal aborts) so nothing piles up behind it. */
async function readWithin(s: GuardrailSensor, stop: AbortSignal): Promise<Outcome> {
  const deadline = new AbortController();
  const signal = AbortSignal.any([stop, deadline.signal]);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort(new Error('deadline'));
      resolve({ missed: `no answer within ${s.deadlineMs} ms`, timedOut: true });
    }, s.deadlineMs);
  });
  try {
    return await Promise.race([s.read(signal).catch((e: unknown): Outcome => ({ missed: (e as Error).message, timedOut: deadline.signal.aborted })), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
