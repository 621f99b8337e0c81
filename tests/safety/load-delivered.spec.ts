import { eventsOf, ExitCode, Ledger } from '../../core/index.ts';
import { activeToxics } from '../support/lab-probes.ts';
import { runCli } from '../support/faultline-cli.ts';
import { sessionJournal } from './support/outage.ts';
import { expect, test } from './support/safety-lab.ts';

// Load that was never delivered is not a pass. 1,000 requests/s per region is more than k6 can send from this
// 2-core machine while the lab runs beside it: the run must not pass, and must say the load generator was the limit.

test('a rate the load generator cannot deliver: inconclusive, the report names the region short of load', async ({ safetyLab, session }) => {
  const lab = safetyLab.state;
  const { code, output } = await runCli(['inject', 'latency', 'jkt', 'sby', '1ms', '--for', '20s', '--rate', '1000', '--run-dir', lab.runDir], { FAULTLINE_SESSION_DIR: session });
  expect(code, output).toBe(ExitCode.inconclusive);
  expect(output).toMatch(/the load generator was the limit: (jkt|bdg|sby) got \d+ of the \d+ requests asked/);
  const entries = sessionJournal(session);
  const verdict = eventsOf(entries, 'verdict')[0]!;
  expect(verdict.reason).toContain('the load generator was the limit');
  // No SLO passed on load that was not there.
  for (const { result } of eventsOf(entries, 'slo')) if (result.loadShort) expect(result.verdict).toBe('inconclusive');
  expect(await activeToxics(lab)).toEqual([]);
  expect(new Ledger(lab.ledgerDir).list()).toEqual([]);
});
