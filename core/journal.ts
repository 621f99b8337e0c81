import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FaultSpec } from './fault.ts';
import type { Severity, SloResult, TimeRange } from './slo.ts';
import type { LoadSummary } from './load-runner.ts';
import type { RunOutcome } from './run-result.ts';
import { redactSecrets } from './redact.ts';

export type Phase = 'preflight' | 'steady-state' | 'load' | 'inject' | 'hold' | 'revert' | 'recovery' | 'verdict';
/** Why a fault was reverted: its schedule, a guardrail, an interruption, an error, `faultline cleanup`, or the TTL watchdog. */
export type RevertReason = 'schedule' | 'guardrail' | 'interrupted' | 'error' | 'cleanup' | 'ttl';

/** Everything that happens in a run. Reports are rendered from these events alone. */
export type JournalEvent =
  | { type: 'run-start'; runId: string; scenario: string; topology: string; target: string; description?: string; severity?: Severity }
  | { type: 'phase'; phase: Phase; status: 'start' | 'end'; detail?: string }
  | { type: 'preflight'; ok: boolean; problems: { code: string; message: string }[] }
  | { type: 'inject'; fault: string; spec: FaultSpec; description: string; detail: Record<string, unknown>; latencyMs: number }
  | {
      type: 'revert';
      fault: string;
      reason: RevertReason;
      ok: boolean;
      latencyMs: number;
      error?: string;
    }
  /** One guardrail reading; `samples` is how many requests a request-stream reading was taken over. */
  | { type: 'guardrail'; name: string; value: number | null; threshold: number; breached: boolean; error?: string; samples?: number }
  | { type: 'windows'; windows: Record<'baseline' | 'during' | 'after' | 'whole', TimeRange>; faults: { name: string; range: TimeRange }[] }
  | { type: 'slo'; result: SloResult }
  | { type: 'load-summary'; summary: LoadSummary }
  /** Another run held the same target during this one (`--allow-concurrent`): its faults may have disturbed these SLOs. */
  | { type: 'concurrent-run'; runId: string; scenario: string }
  /** Where the load generator's per-request stream is kept (JSON lines, see ARCHITECTURE.md). */
  | { type: 'request-stream'; path: string }
  | { type: 'series'; name: string; unit: string; points: [number, number][] }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | {
      type: 'failover';
      action: 'failover' | 'failback';
      status: 'start' | 'end';
      trigger: 'manual' | 'automatic';
      /** The runbook, described (`the lab's DR service`, `command …`, `POST …`). */
      runbook: string;
      /** Epoch ms of this start or end. */
      at: number;
      ok?: boolean;
      startedAt?: number;
      endedAt?: number;
      /** Automatic failovers: when the DR automation declared the region lost. */
      detectedAt?: number;
      detail?: Record<string, unknown>;
      error?: string;
    }
  | { type: 'verdict'; outcome: RunOutcome; exitCode: number; reason: string };

export type JournalEntry = JournalEvent & { seq: number; t: number };

/**
 * Append-only, timestamped record of one run, kept as JSON lines on disk as it happens so that a crash
 * still leaves the story up to the crash.
 */
export class Journal {
  private seq = 0;
  readonly entries: JournalEntry[] = [];

  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  append(event: JournalEvent): JournalEntry {
    const entry = redactSecrets({ ...event, seq: this.seq++, t: this.now() }) as JournalEntry;
    this.entries.push(entry);
    appendFileSync(this.path, JSON.stringify(entry) + '\n');
    return entry;
  }

  static read(path: string): JournalEntry[] {
    return parseJournalLines(readFileSync(path, 'utf8'));
  }
}

/** A journal's JSON lines, one event per non-empty line. */
export function parseJournalLines(text: string): JournalEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JournalEntry);
}

export function eventsOf<T extends JournalEvent['type']>(
  entries: readonly JournalEntry[],
  type: T,
): Extract<JournalEntry, { type: T }>[] {
  return entries.filter((e): e is Extract<JournalEntry, { type: T }> => e.type === type);
}
