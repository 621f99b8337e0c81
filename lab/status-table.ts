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
  return [`lab ${status.topology} in ${status.runDir}`, line(header), ...rows.map(line), summary].join('\n') + '\n';
}
