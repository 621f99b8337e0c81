import { phaseMarks } from './failover-evidence.ts';
import type { JournalEntry } from '../core/index.ts';
import { formatNumber, formatOffset, formatValue, shareCeiling } from './format.ts';
import { viewRun, type SliSeries } from './run-view.ts';
import { escapeXml as esc } from './xml.ts';

export interface SliChartOptions {
  /** Default 960 px. */
  width?: number;
  /** Height of one panel's plot area. Default 150 px. */
  panelHeight?: number;
}

/**
 * Separates the SLI from the region in a series name: `availability:jkt`, `p95 latency:bdg`, `replica lag:sby`.
 * Each SLI gets its own panel (one unit per panel) and each region keeps one colour across panels. A name without
 * it gets a panel per unit, its whole name in the legend.
 */
export const SERIES_REGION_SEPARATOR = ':';

/** RTO phase lines and labels. */
const PHASE_COLOUR = '#1f5fbf';
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
const FAULT_FILL = '#d62728';
const MARGIN = { left: 72, right: 24 };
const LABEL_ROW = 15;
const PANEL_TITLE = 22;
const PANEL_GAP = 14;
const CHAR_PX = 6.3;

interface Panel {
  title: string;
  unit: string;
  lines: { legend: string; series: SliSeries }[];
}

/**
 * The key SLIs over the run as hand-written SVG: one panel per SLI, time in seconds from run start on a shared
 * x axis, every fault window shaded across all panels and labelled above them, guardrail breaches as dashed lines.
 * Elements carry `class`/`data-*` attributes so tests (and curious readers) can check positions.
 */
export function sliChartSvg(entries: readonly JournalEntry[], options: SliChartOptions = {}): string {
  const run = viewRun(entries);
  const width = options.width ?? 960;
  const panelHeight = options.panelHeight ?? 150;
  const plotLeft = MARGIN.left;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  // The axis ends where the run ended, not at the next round number: no empty margin after the story.
  const span = Math.max((run.end - run.start) / 1_000, 1);
  const xTicks = { ...niceTicks(0, span, 10), hi: span };
  xTicks.ticks = xTicks.ticks.filter((t) => t <= span + 1e-9);
  const sx = (ms: number) => plotLeft + ((ms - run.start) / 1_000 / xTicks.hi) * plotWidth;

  // A label starts at its window, but is pulled left when it would run off the right edge.
  const labelAt = (x: number, text: string) => ({ x: Math.max(plotLeft, Math.min(x, width - 4 - text.length * CHAR_PX)), text });
  // RTO phases (failover game days) are marked where they happened: detection, the runbook, the first write, back.
  const phases = phaseMarks(entries).filter((p) => p.phase !== 'fault');
  const markers = [
    ...run.faults.map((f) => labelAt(sx(f.start), f.reverted ? f.name : `${f.name} (NOT REVERTED)`)),
    ...run.guardrailBreaches.slice(0, 1).map((g) => labelAt(sx(g.t), `guardrail ${g.name}`)),
    ...phases.map((p) => labelAt(sx(p.t), p.phase)),
  ];
  const labelClass = (i: number) => (i < run.faults.length ? 'fault-label' : i < run.faults.length + Math.min(1, run.guardrailBreaches.length) ? 'guardrail-label' : 'phase-label');
  const rows = placeLabels(markers);
  const rowCount = Math.max(1, ...rows.map((r) => r + 1));
  const top = 34 + rowCount * LABEL_ROW + 6;

  const panels = panelsOf(run.series);
  const colours = new Map<string, string>();
  for (const p of panels) for (const l of p.lines) if (!colours.has(l.legend)) colours.set(l.legend, PALETTE[colours.size % PALETTE.length]!);
  const panelTop = (i: number) => top + i * (PANEL_TITLE + panelHeight + PANEL_GAP) + PANEL_TITLE;
  const shownPanels = Math.max(panels.length, 1);
  const plotsBottom = panelTop(shownPanels - 1) + panelHeight;
  const height = plotsBottom + 44;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" data-x-min-s="0" data-x-max-s="${xTicks.hi}">`,
    `<title>${esc(`${run.scenario}: key SLIs over the run`)}</title>`,
    `<desc>${esc(`Run ${run.runId} of ${run.scenario} on ${run.target}; outcome ${run.outcome}. Shaded: fault windows.`)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${plotLeft}" y="20" font-size="15" font-weight="bold">${esc(`${run.scenario}: ${run.outcome}`)}</text>`,
  );

  // Fault windows first, so the lines are drawn over the shading.
  const shadeTop = panelTop(0);
  for (const f of run.faults) {
    const x0 = sx(f.start);
    const x1 = Math.max(sx(f.end), x0 + 1);
    out.push(
      `<rect class="fault-window" data-fault="${esc(f.name)}" data-start-s="${r((f.start - run.start) / 1_000)}" ` +
        `data-end-s="${r((f.end - run.start) / 1_000)}" x="${r(x0)}" y="${r(shadeTop)}" width="${r(x1 - x0)}" ` +
        `height="${r(plotsBottom - shadeTop)}" fill="${FAULT_FILL}" fill-opacity="0.13" stroke="${FAULT_FILL}" ` +
        `stroke-opacity="0.5" stroke-dasharray="${f.reverted ? 'none' : '4 3'}">` +
        `<title>${esc(`${f.description ?? f.name}: ${formatOffset(f.start - run.start)}–${formatOffset(f.end - run.start)}${f.reverted ? '' : ' (no successful revert recorded)'}`)}</title></rect>`,
    );
  }
  markers.forEach((m, i) => {
    const y = 34 + rows[i]! * LABEL_ROW + 10;
    const kind = labelClass(i);
    out.push(
      `<text class="${kind}" x="${r(m.x)}" y="${y}" font-size="11" ` +
        `fill="${kind === 'fault-label' ? '#a01010' : kind === 'phase-label' ? PHASE_COLOUR : '#000'}">${esc(m.text)}</text>`,
    );
  });

  if (!panels.length) {
    const y = panelTop(0);
    out.push(
      `<rect class="plot-area" x="${plotLeft}" y="${y}" width="${plotWidth}" height="${panelHeight}" fill="none" stroke="#999"/>`,
      `<text x="${plotLeft + plotWidth / 2}" y="${y + panelHeight / 2}" text-anchor="middle" fill="#666">` +
        `no SLI series in the journal</text>`,
    );
  }
  panels.forEach((panel, i) => out.push(...drawPanel(panel, panelTop(i), { plotLeft, plotWidth, panelHeight, xTicks, sx, colours })));

  for (const g of run.guardrailBreaches.slice(0, 1)) {
    out.push(
      `<line class="guardrail-breach" data-guardrail="${esc(g.name)}" x1="${r(sx(g.t))}" x2="${r(sx(g.t))}" ` +
        `y1="${r(shadeTop)}" y2="${r(plotsBottom)}" stroke="#000" stroke-width="1.5" stroke-dasharray="5 3"/>`,
    );
  }

  for (const p of phases) {
    out.push(
      `<line class="rto-phase" data-phase="${esc(p.phase)}" data-at-s="${r((p.t - run.start) / 1_000)}" x1="${r(sx(p.t))}" x2="${r(sx(p.t))}" ` +
        `y1="${r(shadeTop)}" y2="${r(plotsBottom)}" stroke="${PHASE_COLOUR}" stroke-width="1" stroke-dasharray="2 2">` +
        `<title>${esc(`${p.phase}: ${formatOffset(p.t - run.start)}`)}</title></line>`,
    );
  }

  for (const t of xTicks.ticks) {
    const x = plotLeft + (t / xTicks.hi) * plotWidth;
    out.push(`<text x="${r(x)}" y="${plotsBottom + 16}" text-anchor="middle" fill="#444">${formatNumber(t)}</text>`);
  }
  out.push(
    `<text x="${plotLeft + plotWidth / 2}" y="${plotsBottom + 36}" text-anchor="middle" fill="#222">seconds since run start</text>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
}

function drawPanel(
  panel: Panel,
  top: number,
  g: {
    plotLeft: number;
    plotWidth: number;
    panelHeight: number;
    xTicks: Ticks;
    sx: (ms: number) => number;
    colours: Map<string, string>;
  },
): string[] {
  const values = panel.lines.flatMap((l) => l.series.points.map((p) => p[1]).filter(Number.isFinite));
  const ceiling = shareCeiling(panel.unit);
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  // Durations and counts start at zero so 2s never looks twice 1.9s; shares zoom in, since 99% vs 99.9% matters.
  if (ceiling === undefined) lo = Math.min(0, lo);
  else {
    hi = Math.min(ceiling, hi);
    lo = Math.max(0, Math.min(lo, hi - ceiling / 100));
  }
  const yTicks = niceTicks(lo, hi, 4, ceiling);
  const bottom = top + g.panelHeight;
  const sy = (v: number) => bottom - ((v - yTicks.lo) / (yTicks.hi - yTicks.lo)) * g.panelHeight;
  const right = g.plotLeft + g.plotWidth;
  const out: string[] = [];

  out.push(`<text class="panel-title" x="${g.plotLeft}" y="${top - 7}" font-weight="bold">${esc(panel.title)}</text>`);
  let lx = g.plotLeft + panel.title.length * 7.2 + 18;
  for (const l of panel.lines) {
    const colour = g.colours.get(l.legend)!;
    out.push(
      `<line x1="${r(lx)}" x2="${r(lx + 16)}" y1="${top - 11}" y2="${top - 11}" stroke="${colour}" stroke-width="2.5"/>`,
      `<text x="${r(lx + 20)}" y="${top - 7}" fill="#333">${esc(l.legend)}</text>`,
    );
    lx += 20 + l.legend.length * CHAR_PX + 16;
  }
  out.push(
    `<rect class="plot-area" data-panel="${esc(panel.title)}" x="${g.plotLeft}" y="${r(top)}" width="${g.plotWidth}" ` +
      `height="${g.panelHeight}" fill="none" stroke="#999"/>`,
  );
  for (const t of yTicks.ticks) {
    const y = sy(t);
    out.push(
      `<line x1="${g.plotLeft}" x2="${right}" y1="${r(y)}" y2="${r(y)}" stroke="#e4e4e4"/>`,
      `<text x="${g.plotLeft - 6}" y="${r(y + 4)}" text-anchor="end" fill="#444">${axisLabel(t, panel.unit)}</text>`,
    );
  }
  for (const t of g.xTicks.ticks) {
    const x = g.plotLeft + (t / g.xTicks.hi) * g.plotWidth;
    out.push(`<line x1="${r(x)}" x2="${r(x)}" y1="${r(top)}" y2="${r(bottom)}" stroke="#f0f0f0"/>`);
  }
  for (const l of panel.lines) {
    out.push(
      `<path class="series" data-series="${esc(l.series.name)}" d="${pathData(l.series.points, g.sx, sy)}" fill="none" ` +
        `stroke="${g.colours.get(l.legend)}" stroke-width="1.8" stroke-linejoin="round"/>`,
    );
  }
  return out;
}

function panelsOf(series: SliSeries[]): Panel[] {
  const panels = new Map<string, Panel>();
  for (const s of series) {
    const cut = s.name.lastIndexOf(SERIES_REGION_SEPARATOR);
    const [sli, legend] = cut > 0 ? [s.name.slice(0, cut).trim(), s.name.slice(cut + 1).trim()] : [undefined, s.name];
    const key = `${sli ?? ''}\u0000${s.unit}`;
    const title = sli ?? (s.unit || 'value');
    if (!panels.has(key)) panels.set(key, { title, unit: s.unit, lines: [] });
    panels.get(key)!.lines.push({ legend, series: s });
  }
  return [...panels.values()];
}

/**
 * One path per series; a gap in the samples (more than three typical steps, e.g. a scrape target that died)
 * starts a new sub-path instead of drawing a line across time nobody measured.
 */
function pathData(points: [number, number][], sx: (ms: number) => number, sy: (v: number) => number): string {
  const sorted = points.filter((p) => Number.isFinite(p[1])).sort((a, b) => a[0] - b[0]);
  const steps = sorted.slice(1).map((p, i) => p[0] - sorted[i]![0]).sort((a, b) => a - b);
  const typical = steps[Math.floor(steps.length / 2)] ?? Infinity;
  return sorted
    .map((p, i) => `${i === 0 || p[0] - sorted[i - 1]![0] > 3 * typical ? 'M' : 'L'}${r(sx(p[0]))},${r(sy(p[1]))}`)
    .join(' ');
}

interface Ticks {
  lo: number;
  hi: number;
  ticks: number[];
}


function niceTicks(lo: number, hi: number, count: number, ceiling?: number): Ticks {
  if (!(hi > lo)) hi = lo + (Math.abs(lo) * 0.1 || 1);
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  const nlo = Math.floor(lo / step + 1e-9) * step;
  let nhi = Math.ceil(hi / step - 1e-9) * step;
  if (ceiling !== undefined && hi <= ceiling) nhi = Math.min(nhi, ceiling);
  const ticks: number[] = [];
  for (let v = nlo; v <= nhi + step / 1e6; v += step) ticks.push(+v.toFixed(10));
  return { lo: +nlo.toFixed(10), hi: +nhi.toFixed(10), ticks };
}

/** Greedy rows for labels: each goes on the first row where it does not overlap the previous label. */
function placeLabels(markers: { x: number; text: string }[]): number[] {
  const rowEnds: number[] = [];
  const order = markers.map((m, i) => i).sort((a, b) => markers[a]!.x - markers[b]!.x);
  const rows: number[] = new Array(markers.length).fill(0);
  for (const i of order) {
    const m = markers[i]!;
    let row = rowEnds.findIndex((end) => end < m.x);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = m.x + m.text.length * CHAR_PX + 8;
    rows[i] = row;
  }
  return rows;
}

/** Axis labels carry their unit the way the SLO table prints it (`99.5%`, `250ms`, `3s`); zero needs none. */
function axisLabel(v: number, unit: string): string {
  return v === 0 && shareCeiling(unit) === undefined ? '0' : formatValue(v, unit);
}

function r(n: number): number {
  return Math.round(n * 10) / 10;
}
