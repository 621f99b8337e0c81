import { hostname } from 'node:os';
import type { JournalEntry, SloResult } from '../core/index.ts';
import { FAILURE_PREFIX, failureKindOf, failureMessage } from './failure-message.ts';
import { formatOffset, formatValue } from './format.ts';
import { viewRun, type RunView } from './run-view.ts';
import { xmlSafe as x } from './xml.ts';

/**
 * JUnit XML for runs that do not go through Playwright (its own junit reporter covers those): one `<testsuite>`
 * per scenario, one `<testcase>` per SLO.
 * - fail → `<failure>`; an informational SLO that fails passes, with a note in `<system-out>`.
 * - inconclusive → `<skipped message="Inconclusive: …">`: the SLO was not judged, which is neither a pass nor
 *   evidence that the system broke. CI still cannot mistake it for green: the run's exit code is 4.
 * - guardrail abort → one extra `guardrail: <name>` case with `<error type="guardrail-abort">`; the SLOs that
 *   were judged keep their verdicts.
 * - preflight refused, harness error, interrupted (Ctrl-C), or a journal that stops without a verdict → one `run`
 *   case with `<error>`.
 */
export function junitXml(journals: readonly (readonly JournalEntry[])[]): string {
  const suites = journals.map((entries) => suiteOf(viewRun(entries), failureMessage(entries)));
  const sum = (k: keyof SuiteCounts) => suites.reduce((n, s) => n + s.counts[k], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="faultline" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" ` +
      `skipped="${sum('skipped')}" time="${suites.reduce((t, s) => t + s.time, 0).toFixed(3)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

type CaseStatus = 'passed' | 'failure' | 'error' | 'skipped';
interface Case {
  status: CaseStatus;
  xml: string;
}

function suiteOf(run: RunView, failure: string | undefined): { xml: string; counts: SuiteCounts; time: number } {
  const classname = `${run.topology}.${run.scenario}`;
  const cases = run.slos.map((slo) => sloCase(run, slo, classname));
  const kind = failureKindOf(run);
  if (kind === 'guardrailAbort') {
    const breach = run.guardrailBreaches[0];
    cases.push(errorCase(classname, `guardrail: ${breach?.name ?? 'unknown'}`, 'guardrail-abort', failure ?? run.reason));
  } else if (kind === 'preflightRefused' || kind === 'harnessError' || kind === 'interrupted') {
    cases.push(errorCase(classname, 'run', kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), failure ?? run.reason));
  }
  const count = (status: CaseStatus) => cases.filter((c) => c.status === status).length;
  const counts: SuiteCounts = { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
  const time = (run.end - run.start) / 1_000;
  const props = { 'run.id': run.runId, target: run.target, topology: run.topology, outcome: run.outcome, 'exit.code': String(run.exitCode) };
  const xml = [
    `  <testsuite name="${x(run.scenario)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" ` +
      `skipped="${counts.skipped}" time="${time.toFixed(3)}" timestamp="${new Date(run.start).toISOString().replace(/\.\d+Z$/, '')}" ` +
      `hostname="${x(hostname())}">`,
    '    <properties>',
    ...Object.entries(props).map(([k, v]) => `      <property name="${x(k)}" value="${x(v)}"/>`),
    '    </properties>',
    ...cases.map((c) => c.xml),
    '  </testsuite>',
  ].join('\n');
  return { xml, counts, time };
}

function sloCase(run: RunView, slo: SloResult, classname: string): Case {
  const observed = formatValue(slo.observed, slo.unit);
  const summary =
    `${slo.kind} over ${slo.window} (${formatOffset(slo.range.start - run.start)}–${formatOffset(slo.range.end - run.start)}): ` +
    `observed ${observed}, objective ${slo.objective}. ${slo.reason}`;
  const detail = `${summary}\nquery: ${slo.query}`;
  const open = `    <testcase name="${x(slo.name)}" classname="${x(classname)}" time="0">`;
  if (slo.informational) {
    const note = `informational (never fails the run), verdict ${slo.verdict}: ${detail}`;
    return { status: 'passed', xml: `${open}\n      <system-out>${x(note)}</system-out>\n    </testcase>` };
  }
  switch (slo.verdict) {
    case 'pass':
      return { status: 'passed', xml: `${open}\n      <system-out>${x(detail)}</system-out>\n    </testcase>` };
    case 'fail':
      return {
        status: 'failure',
        xml:
          `${open}\n      <failure type="slo-breach" message="${x(`${FAILURE_PREFIX.sloBreach} ${slo.name} observed ${observed}, objective ${slo.objective}`)}">` +
          `${x(detail)}</failure>\n    </testcase>`,
      };
    case 'inconclusive':
      return {
        status: 'skipped',
        xml:
          `${open}\n      <skipped message="${x(`${FAILURE_PREFIX.inconclusive} ${slo.name}: ${slo.reason}`)}"/>\n` +
          `      <system-out>${x(detail)}</system-out>\n    </testcase>`,
      };
  }
}

function errorCase(classname: string, name: string, type: string, message: string): Case {
  const firstLine = message.split('\n')[0]!;
  return { status: 'error', xml: `    <testcase name="${x(name)}" classname="${x(classname)}" time="0">\n      <error type="${type}" message="${x(firstLine)}">${x(message)}</error>\n    </testcase>` };
}
