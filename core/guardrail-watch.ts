import { sleep } from './abortable-sleep.ts';
import { parseDuration } from './duration.ts';
import type { Guardrail } from './guardrail.ts';
import type { Journal } from './journal.ts';
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
  judge: Pick<SloJudge, 'read'>;
  journal: Journal;
  /** Stop watching at this instant (epoch ms): the last scheduled revert. */
  until: number;
  signal: AbortSignal;
  onBreach(breach: GuardrailBreach): void;
  /** Every successful reading, for progress output. */
  onReading?(guardrail: Guardrail, value: number): void;
}

/**
 * Evaluates every guardrail on its own cadence until `until`. Fails closed: a query that errors or returns no
 * data counts as a breach, because an unwatched fault is exactly what guardrails exist to prevent.
 */
export async function watchGuardrails(w: GuardrailWatch): Promise<void> {
  await Promise.all(w.guardrails.map((g) => watchOne(g, w)));
}

async function watchOne(g: Guardrail, w: GuardrailWatch): Promise<void> {
  const everyMs = parseDuration(g.every ?? '1s');
  const forMs = parseDuration(g.for ?? '0s');
  let breachingSince: number | undefined;
  while (!w.signal.aborted && Date.now() < w.until) {
    const tick = Date.now();
    let value: number | undefined;
    let error: string | undefined;
    try {
      value = await w.judge.read(g.query);
    } catch (e) {
      error = (e as Error).message;
    }
    if (w.signal.aborted) return;
    if (value === undefined) {
      const why = error ?? 'the query returned no data';
      w.journal.append({ type: 'guardrail', name: g.name, value: null, threshold: g.threshold, breached: true, error: why });
      w.onBreach(new GuardrailBreach(g.name, `guardrail "${g.name}" could not be evaluated: ${why}`, Date.now(), true));
      return;
    }
    const breaching = compare(value, g.comparator, g.threshold);
    breachingSince = breaching ? (breachingSince ?? tick) : undefined;
    const breached = breachingSince !== undefined && tick - breachingSince >= forMs;
    w.journal.append({ type: 'guardrail', name: g.name, value, threshold: g.threshold, breached });
    w.onReading?.(g, value);
    if (breached) {
      w.onBreach(new GuardrailBreach(g.name, `${g.name}: ${round(value)} ${g.comparator} ${g.threshold}`, Date.now(), false));
      return;
    }
    try {
      await sleep(everyMs - (Date.now() - tick), w.signal);
    } catch {
      return;
    }
  }
}

function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
