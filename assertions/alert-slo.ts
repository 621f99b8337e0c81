import { FaultlineError, formatDuration, parseDuration, type RunWindows, type SloSpec, type TimeRange } from '../core/index.ts';
import { formatObjective } from './format.ts';
import type { Judgement } from './judgement.ts';
import type { PrometheusClient } from './prometheus-client.ts';
import type { RangeReader } from './rto.ts';
import { matchers } from './sli-queries.ts';

export type AlertSlo = Extract<SloSpec, { kind: 'alert' }>;

/** Prometheus evaluates rules every second in the lab; a finer step would only repeat samples. */
const ALERT_STEP = '1s';
/** Looked at before the fault too, so an alert already firing is told apart from one the fault raised. */
const BEFORE_FAULT_MS = 10_000;

/**
 * Prometheus's own record of an alerting rule: the ALERTS series, present (value 1) while the alert is firing and
 * absent once it resolves. It is what Prometheus sends to Alertmanager, in a user's Prometheus as in the lab's.
 */
export function alertFiringQuery(alert: string): string {
  return `max(ALERTS${matchers({ alertname: alert, alertstate: 'firing' })})`;
}

/**
 * Did the team's alert fire within `within` of the fault's start, and resolve after the revert? The detection
 * delay is the observed value; `timings` carries firedAt and resolvedAt (epoch ms) for the journal, where an RTO's
 * detection phase can read them.
 */
export async function judgeAlert(client: RangeReader, slo: AlertSlo, windows: RunWindows): Promise<Judgement> {
  const withinS = parseDuration(slo.within, 'within') / 1_000;
  const resolves = slo.resolves ?? true;
  const objective = `${formatObjective('<=', withinS, 's')} after the fault${resolves ? ', resolved after the revert' : ''}`;
  const query = alertFiringQuery(slo.alert);
  const end = windows[slo.window].end;
  const fault = slo.fault === undefined ? windows.faults[0] : windows.faults.find((f) => f.name === slo.fault);
  const base = { objective, unit: 's', query };
  if (!fault) {
    const why = slo.fault === undefined ? 'no fault ran' : `no fault named "${slo.fault}" ran`;
    return { ...base, range: windows[slo.window], verdict: 'inconclusive', reason: `${why}, so there is nothing to time the alert from.` };
  }
  const range: TimeRange = { start: fault.range.start - BEFORE_FAULT_MS, end };
  const { series } = await client.queryRange(query, range, ALERT_STEP);
  const firing = (series[0]?.points ?? []).filter(([, v]) => v > 0).map(([t]) => t);
  const timings: Record<string, number> = { faultStart: fault.range.start, faultEnd: fault.range.end };

  if (firing.some((t) => t < fault.range.start)) {
    return { ...base, range, timings, verdict: 'inconclusive', reason: `${slo.alert} was already firing before the fault started, so the fault's effect on it cannot be told.` };
  }
  const firedAt = firing[0];
  if (firedAt === undefined) {
    return { ...base, range, timings, verdict: 'fail', reason: `${slo.alert} never fired between the fault's start and the end of the ${slo.window} window.` };
  }
  timings.firedAt = firedAt;
  const delayS = (firedAt - fault.range.start) / 1_000;
  const last = firing[firing.length - 1]!;
  // ALERTS vanishes once the rule stops firing: the first evaluation step after its last sample is the resolution.
  const resolvedAt = last + parseDuration(ALERT_STEP) <= end - parseDuration(ALERT_STEP) ? last + parseDuration(ALERT_STEP) : undefined;
  if (resolvedAt !== undefined) timings.resolvedAt = resolvedAt;
  const fired = `${slo.alert} fired ${formatDuration(delayS * 1_000)} after the fault started`;
  if (delayS > withinS) {
    return { ...base, range, timings, observed: delayS, verdict: 'fail', reason: `${fired}, later than the ${formatDuration(withinS * 1_000)} allowed.` };
  }
  if (resolves && resolvedAt === undefined) {
    return { ...base, range, timings, observed: delayS, verdict: 'fail', reason: `${fired}, but was still firing when the ${slo.window} window ended.` };
  }
  if (resolves && resolvedAt! <= fault.range.end) {
    return { ...base, range, timings, observed: delayS, verdict: 'fail', reason: `${fired}, but resolved before the fault was reverted: it stopped seeing a fault that was still on.` };
  }
  const after = resolvedAt === undefined ? '' : `, and resolved ${formatDuration(resolvedAt - fault.range.end)} after the revert`;
  return { ...base, range, timings, observed: delayS, verdict: 'pass', reason: `${fired}${after}.` };
}

/** Preflight: every alert an SLO names is an alerting rule Prometheus evaluates. */
export async function alertRuleProblems(client: PrometheusClient, slos: AlertSlo[]): Promise<FaultlineError[]> {
  if (slos.length === 0) return [];
  const known = await client.alertRuleNames();
  return slos
    .filter((slo) => !known.includes(slo.alert))
    .map(
      (slo) =>
        new FaultlineError(
          'FAULTLINE_UNKNOWN_NAME',
          `SLO "${slo.name}": no alerting rule named "${slo.alert}" is loaded in Prometheus at ${client.url}`,
          `alerting rules: ${known.join(', ') || '(none: Prometheus has no rule_files with alerts)'}`,
        ),
    );
}
