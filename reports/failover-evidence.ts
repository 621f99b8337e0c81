import { eventsOf, type JournalEntry, type SloResult } from '../core/index.ts';

/** One instant of a failover, for the SLI chart and the phase table: ms since epoch and its name. */
export interface PhaseMark {
  phase: 'fault' | 'detected' | 'runbook start' | 'runbook end' | 'first write' | 'SLO back';
  t: number;
}

interface Phases {
  faultStart: number;
  detectedAt?: number;
  failoverStart?: number;
  failoverEnd?: number;
  firstWrite?: number;
  sloBack?: number;
  rtoMs?: number;
}

interface DataLoss {
  store: string;
  acknowledged: number;
  lost: number;
  duplicated: number;
  resurrected: number;
  unacknowledged: number;
  rpoMs: number;
  lostFrom?: number;
  lostUntil?: number;
  lostIds: string[];
}

const sloResults = (entries: readonly JournalEntry[]): SloResult[] => eventsOf(entries, 'slo').map((e) => e.result);

/** The RTO phases the first failoverRto SLO found, as marks in time order. Empty when the run judged none. */
export function phaseMarks(entries: readonly JournalEntry[]): PhaseMark[] {
  const phases = sloResults(entries).find((s) => s.kind === 'failoverRto' && s.evidence?.phases)?.evidence?.phases as Phases | undefined;
  if (!phases) return [];
  const marks: [PhaseMark['phase'], number | undefined][] = [
    ['fault', phases.faultStart],
    ['detected', phases.detectedAt],
    ['runbook start', phases.failoverStart],
    ['runbook end', phases.failoverEnd],
    ['first write', phases.firstWrite],
    ['SLO back', phases.sloBack],
  ];
  return marks.filter((m): m is [PhaseMark['phase'], number] => m[1] !== undefined).map(([phase, t]) => ({ phase, t }));
}

/** The data-loss findings of every rpo/dataLoss SLO, one row per store (an rpo and a dataLoss on one store agree). */
function dataLossRows(entries: readonly JournalEntry[]): DataLoss[] {
  const byStore = new Map<string, DataLoss>();
  for (const s of sloResults(entries)) {
    const d = s.evidence?.dataLoss as DataLoss | undefined;
    if (d && !byStore.has(d.store)) byStore.set(d.store, d);
  }
  return [...byStore.values()];
}

/**
 * What the failover cost, as markdown: the RTO phases from the request stream (offsets from the fault's start) and
 * the acknowledged writes read back per store. Undefined when the run measured neither.
 */
export function failoverEvidenceMarkdown(entries: readonly JournalEntry[]): string | undefined {
  // In time order: users may see the new region answer before the runbook reports its last step done.
  const marks = [...phaseMarks(entries)].sort((a, b) => a.t - b.t);
  const losses = dataLossRows(entries);
  if (!marks.length && !losses.length) return undefined;
  const out: string[] = [];
  if (marks.length) {
    const t0 = marks[0]!.t;
    out.push('RTO phases (from the load generator\'s per-request results; offsets from the fault\'s start)', '', '| phase | at | since previous |', '|---|---|---|');
    marks.forEach((m, i) => out.push(`| ${m.phase} | +${ms(m.t - t0)} | ${i ? ms(m.t - marks[i - 1]!.t) : '—'} |`));
    out.push('');
  }
  if (losses.length) {
    out.push(
      'Acknowledged writes read back from the surviving primary',
      '',
      '| store | acknowledged | lost | duplicated | resurrected | not acknowledged | RPO | lost span | lost ids (first 20) |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const d of losses) {
      const span = d.lostFrom !== undefined && d.lostUntil !== undefined ? `${iso(d.lostFrom)} → ${iso(d.lostUntil)}` : '—';
      out.push(`| ${d.store} | ${d.acknowledged} | ${d.lost} | ${d.duplicated} | ${d.resurrected} | ${d.unacknowledged} | ${ms(d.rpoMs)} | ${span} | ${d.lostIds.join(' ') || '—'} |`);
    }
    out.push('', 'RPO = acknowledgement time of the newest lost write − send time of the oldest lost write (0 when none is lost).');
  }
  return out.join('\n') + '\n';
}

function ms(v: number): string {
  return `${(v / 1_000).toFixed(3)}s`;
}

function iso(t: number): string {
  return new Date(t).toISOString().slice(11, 23);
}

