import type { LabStatus } from './lab-status.ts';

/** The status as an aligned text table, one row per component, for terminals. */
export function formatStatusTable(status: LabStatus): string {
  const header = ['COMPONENT', 'PID', 'PORT', 'HEALTH', 'DETAIL'];
  const rows = status.components.map((c) => [c.component, c.pid ? String(c.pid) : '-', c.port ? String(c.port) : '-', c.healthy ? 'ok' : 'FAIL', c.detail]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const summary = !status.complete
    ? 'lab is partly up (lab up did not finish): `faultline lab down` cleans it up'
    : status.healthy
      ? `all ${status.components.length} components healthy · Prometheus ${status.prometheusUrl}`
      : `${status.components.filter((c) => !c.healthy).length} of ${status.components.length} components unhealthy`;
  const { experiments, ledger, advice } = status.safety;
  const safety = [
    ...experiments.map((h) => `experiment in progress: run ${h.runId} (scenario ${h.scenario}, pid ${h.pid}, since ${new Date(h.since).toISOString()})${h.concurrent ? ', sharing the lab' : ''}`),
    ...(ledger.length ? [`faults in the ledger: ${ledger.length}`] : []),
    ...ledger.map((r) => `  ${r.fault} (${r.kind}) of run ${r.runId}${r.runActive ? ', its run is in progress' : ''}, applied ${r.ageS}s ago, TTL ${r.ttlS > 0 ? `in ${r.ttlS}s` : `passed ${-r.ttlS}s ago`}`),
    ...advice.map((a) => `→ ${a}`),
  ];
  return [`lab ${status.topology} in ${status.runDir}`, line(header), ...rows.map(line), summary, ...safety].join('\n') + '\n';
}
