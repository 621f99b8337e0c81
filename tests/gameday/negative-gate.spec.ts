import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../../scenarios/fixtures.ts';
import { ExitCode } from '../../core/index.ts';
import { runCli } from '../support/faultline-cli.ts';

// The gate must be able to fail. The negative game day freezes every jkt service process: the real lab really
// loses jkt, the SLO really breaks, and `faultline gameday` must say so by name and exit 1.
test('the gate fails when the system under test breaks its SLO', async ({ lab }) => {
  test.setTimeout(10 * 60_000);
  const out = mkdtempSync(join(tmpdir(), 'faultline-negative-'));
  const junit = join(out, 'junit.xml');
  const { code, output } = await runCli(['gameday', '--negative', '--no-report', '--results', join(out, 'results'), '--junit', junit]);
  expect(code, output).toBe(ExitCode.sloFailed);
  expect(output).toContain('SLO breach:');
  expect(output).toMatch(/jkt availability during outage/);
  expect(output).toMatch(/FAILED/);
  expect(readFileSync(junit, 'utf8')).toMatch(/<failure/);
  expect(lab.runDir).toBeTruthy(); // the shared lab stays up: gameday reused it and did not stop it
});
