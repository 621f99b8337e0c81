import { join } from 'node:path';
import { LAB_WATCHDOG_FILE, readJsonFile, writeJsonAtomic, type WatchdogHeartbeat } from '../contract/index.ts';
import { SUPERVISOR_CONFIG_FILE, type SupervisorConfig } from './supervisor-files.ts';
import { Supervisor } from './supervisor.ts';
import { Watchdog } from './watchdog.ts';

/**
 * The lab supervisor: a detached process started by `lab up`. It keeps the service processes running and is the
 * fault watchdog. Usage: node --import tsx lab/supervisor/main.ts <runDir>
 */
const runDir = process.argv[2];
const config = runDir ? readJsonFile<SupervisorConfig>(join(runDir, SUPERVISOR_CONFIG_FILE)) : undefined;
if (!runDir || !config) {
  console.error(`supervisor: cannot read ${SUPERVISOR_CONFIG_FILE} in ${runDir ?? '(no run folder given)'}`);
  process.exit(2);
}

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const supervisor = new Supervisor(config.runDir, config.units, config.restartDelayMs, log);
const heartbeat = join(config.runDir, LAB_WATCHDOG_FILE);
const watchdog = new Watchdog(config.ledgerDir, config.watchdogIntervalMs, log, () =>
  writeJsonAtomic(heartbeat, { pid: process.pid, at: Date.now(), intervalMs: config.watchdogIntervalMs } satisfies WatchdogHeartbeat),
);

// `lab down` (or a failed `lab up`) stops the supervisor first so nothing is restarted, then stops the units by pid,
// as listed in supervised.json. The handlers come before the first unit starts: a SIGTERM that arrived while units
// were being started would otherwise kill this process between a unit's spawn and its line in that file, and the
// unit would be left running with nobody knowing its pid.
const stop = (signal: string) => {
  log(`supervisor: ${signal}, leaving the units to lab down`);
  supervisor.detach();
  watchdog.stop();
  process.exit(0);
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
// The CLI that started us may be gone; a closed terminal must not take the lab with it.
process.on('SIGHUP', () => log('supervisor: SIGHUP ignored'));

log(`supervisor: pid ${process.pid}, ${config.units.length} units, restart delay ${config.restartDelayMs} ms, watching ${config.ledgerDir}`);
supervisor.startAll();
watchdog.start();
