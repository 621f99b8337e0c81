import { Ledger, type LedgerEntry } from '../../../core/index.ts';

/**
 * A stand-in harness: disables one toxiproxy proxy, writes the ledger entry that says how to undo it (TTL already
 * short), then kills itself with SIGKILL, the one exit no harness code can clean up after.
 * Usage: inject-then-die.ts <ledgerDir> <toxiproxyApiUrl> <proxyName> <ttlMs>
 */
const [ledgerDir, apiUrl, proxy, ttlMs] = process.argv.slice(2);
const now = Date.now();
const entry: LedgerEntry = {
  id: `watchdog-test-${now}`,
  runId: `watchdog-test-${now}`,
  scenario: 'watchdog test',
  target: 'lab',
  fault: `disable ${proxy}`,
  spec: { kind: 'partition', regions: ['bdg', 'jkt'] },
  createdAt: now,
  expiresAt: now + Number(ttlMs),
  revert: [{ type: 'http', method: 'POST', url: `${apiUrl}/proxies/${proxy}`, body: { enabled: true } }],
};
// Ledger before apply, as the engine does: a crash between the two leaves a harmless entry, never an unlisted fault.
new Ledger(ledgerDir!).record(entry);
const res = await fetch(`${apiUrl}/proxies/${proxy}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ enabled: false }),
});
if (!res.ok) {
  console.error(`could not disable ${proxy}: ${res.status}`);
  process.exit(1);
}
console.log(`disabled ${proxy}; dying`);
process.kill(process.pid, 'SIGKILL');
