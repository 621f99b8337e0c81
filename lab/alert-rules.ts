import { stringify } from 'yaml';
import { ServiceMetrics } from '../core/index.ts';

/**
 * The alerting rules a team would keep for the reference service, evaluated by the lab's Prometheus every second
 * and sent to its Alertmanager. They read the service's own metrics (server-side), as a team's rules do; a game
 * day's `alert` SLO asks whether one of them fired in time. Thresholds are scaled to game days (seconds, not hours).
 */
export const LabAlerts = {
  /** More than 5 % of a region's requests failed (5xx) over the last 10 s, for 2 s. */
  highErrorRate: 'ServiceHighErrorRate',
  /** The multi-window fast burn of the SRE workbook for a 99.9 % SLO: burn rate > 14.4 over 1 m and over 5 s. */
  errorBudgetBurn: 'ServiceErrorBudgetBurn',
  /** A region's replica is more than 5 s behind, for 2 s. */
  replicaLag: 'ReplicaLagHigh',
} as const;

const SLO_TARGET = 0.999;
const FAST_BURN = 14.4;

export function labAlertRules(): string {
  const requests = ServiceMetrics.requests;
  const errorRatio = (over: string) =>
    `(sum by (region) (rate(${requests}{code=~"5.."}[${over}])) or sum by (region) (rate(${requests}[${over}])) * 0) / sum by (region) (rate(${requests}[${over}]))`;
  const budget = +(1 - SLO_TARGET).toPrecision(6);
  return stringify({
    groups: [
      {
        name: 'faultline-reference-service',
        interval: '1s',
        rules: [
          {
            alert: LabAlerts.highErrorRate,
            expr: `${errorRatio('10s')} > 0.05`,
            for: '2s',
            labels: { severity: 'page' },
            annotations: { summary: 'More than 5% of {{ $labels.region }} requests fail' },
          },
          {
            alert: LabAlerts.errorBudgetBurn,
            expr: `(${errorRatio('1m')} > ${FAST_BURN * budget}) and (${errorRatio('5s')} > ${FAST_BURN * budget})`,
            labels: { severity: 'page' },
            annotations: { summary: '{{ $labels.region }} burns its 99.9% error budget 14.4 times too fast' },
          },
          {
            alert: LabAlerts.replicaLag,
            expr: `max by (region) (${ServiceMetrics.replicationLag}) > 5`,
            for: '2s',
            labels: { severity: 'ticket' },
            annotations: { summary: 'The {{ $labels.region }} replica is more than 5s behind' },
          },
        ],
      },
    ],
  });
}
