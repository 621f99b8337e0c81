// Alert detection delay against the fault's start (issue 9): the lab's alerting rules (lab/alert-rules.ts), evaluated
// by its Prometheus every second and sent to its Alertmanager, timed the way an on-call engineer would see them.
import { PrometheusClient } from '../assertions/index.ts';
import { judgeAlert } from '../assertions/alert-slo.ts';
import type { FaultSpec } from '../core/index.ts';
import { alertmanagerAlerts, LabAlerts, type LabState } from '../lab/index.ts';
import { applyBenchFault } from './bench-fault.ts';
import { stats } from './safety-figures.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REGION = 'bdg';
const ALERT = LabAlerts.highErrorRate;
/** Half of bdg's writes aborted, as the catalogue's game day does: far over the rule's 5 % threshold. */
const FAULT: FaultSpec = { kind: 'httpFault', from: REGION, service: 'service-main', region: 'jkt', share: 0.5, abort: 503 };
/** How long each round holds the fault: longer than the rule's 10 s window, so every revert starts from the same state. */
const HOLD_MS = 15_000;
/** The rule's rate window: after a resolution this long again leaves no error of the round in it. */
const QUIET_MS = 10_000;
const WRITES_PER_S = 20;
const POLL_MS = 100;

/** Writes through bdg's ingress on a fixed schedule (not one after another), so the rate does not drop as errors come. */
function steadyWrites(lab: LabState): { stop: () => Promise<void> } {
  const url = `${lab.nginx.find((n) => n.region === REGION)!.url}/items`;
  const inflight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const p = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"body":"bench-alert"}', signal: AbortSignal.timeout(5_000) })
      .then((r) => r.text())
      .then(() => undefined, () => undefined)
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }, 1_000 / WRITES_PER_S);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inflight);
    },
  };
}

async function listed(lab: LabState): Promise<{ startsAt: string } | undefined> {
  return (await alertmanagerAlerts(lab.alertmanager!.url)).find((a) => a.name === ALERT && a.labels.region === REGION);
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(POLL_MS);
  }
  return Date.now();
}

/**
 * Each round, under a steady 20 writes/s from bdg: wait until the alert is not listed and its window is quiet,
 * apply the fault, poll Alertmanager's API every 100 ms until it lists the alert (fired), hold the fault 15 s,
 * revert, poll until the alert is gone (resolved). The same round is then judged as the `alert` SLO judges a game
 * day, from Prometheus's ALERTS series (1 s steps): the two clocks should agree within a rule evaluation or so.
 */
export async function alertDetection(lab: LabState, rounds: number): Promise<void> {
  if (!lab.alertmanager) throw new Error('this lab runs no Alertmanager');
  const prometheus = new PrometheusClient({ url: lab.prometheus.url });
  console.log(`\nAlert detection: ${ALERT}{region="${REGION}"} (5xx > 5 % over 10 s, for 2 s), fault: 50 % of bdg's writes aborted, ${WRITES_PER_S} writes/s, ${rounds} rounds`);
  console.log('  round  start → listed by Alertmanager  start → firing (alert SLO, ALERTS)  revert → gone from Alertmanager  revert → resolved (alert SLO)');
  const load = steadyWrites(lab);
  const fired: number[] = [];
  const firedSlo: number[] = [];
  const resolved: number[] = [];
  const resolvedSlo: number[] = [];
  const s = (v: number | undefined) => (v === undefined ? 'n/a' : `${(v / 1000).toFixed(2)} s`);
  try {
    await sleep(QUIET_MS); // a denominator for the rule's ratio before the first fault
    for (let i = 0; i < rounds; i++) {
      await until('alert gone before the round', async () => !(await listed(lab)));
      await sleep(QUIET_MS);
      const fault = await applyBenchFault(lab, FAULT, `bench-alert-${i}`);
      const start = Date.now();
      let revertAt: number;
      try {
        const firedAt = await until(`${ALERT} listed by Alertmanager`, async () => !!(await listed(lab)));
        fired.push(firedAt - start);
        await sleep(Math.max(0, start + HOLD_MS - Date.now()));
      } finally {
        await fault.revert();
        revertAt = Date.now();
      }
      const goneAt = await until(`${ALERT} resolved in Alertmanager`, async () => !(await listed(lab)));
      resolved.push(goneAt - revertAt);
      // The ALERTS series of the resolution is written at the rule's next evaluation: read it a little later.
      await sleep(2_000);
      const windows = { baseline: { start: start - 10_000, end: start }, during: { start, end: revertAt }, after: { start: revertAt, end: Date.now() }, whole: { start: start - 10_000, end: Date.now() }, faults: [{ name: 'abort', range: { start, end: revertAt } }] };
      const judged = await judgeAlert(prometheus, { name: 'bench', kind: 'alert', alert: ALERT, within: '60s', window: 'whole' }, windows);
      const t = judged.timings ?? {};
      const sloFired = t.firedAt === undefined ? undefined : t.firedAt - start;
      const sloResolved = t.resolvedAt === undefined ? undefined : t.resolvedAt - revertAt;
      if (sloFired !== undefined) firedSlo.push(sloFired);
      if (sloResolved !== undefined) resolvedSlo.push(sloResolved);
      console.log(`  ${String(i + 1).padEnd(5)}  ${s(fired[i]).padEnd(30)}  ${s(sloFired).padEnd(35)}  ${s(resolved[i]).padEnd(31)}  ${s(sloResolved)}${judged.verdict === 'pass' ? '' : `  (alert SLO ${judged.verdict}: ${judged.reason})`}`);
    }
  } finally {
    await load.stop();
  }
  const line = (label: string, xs: number[]) => {
    if (!xs.length) return console.log(`  ${label.padEnd(44)} no round measured`);
    const st = stats(xs);
    console.log(`  ${label.padEnd(44)} p50 ${(st.median / 1000).toFixed(2)} s, max ${(st.max / 1000).toFixed(2)} s`);
  };
  line('fault start → listed by Alertmanager', fired);
  line('fault start → firing (alert SLO, ALERTS)', firedSlo);
  line('revert → gone from Alertmanager', resolved);
  line('revert → resolved (alert SLO, ALERTS)', resolvedSlo);
}
