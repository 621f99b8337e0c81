export * from './supervisor-files.ts';

/** Entry point, started detached as `node --import tsx <this file> <runDir>` by `lab up`. */
export const SUPERVISOR_MAIN = 'lab/supervisor/main.ts';
export const HEARTBEAT_MAIN = 'lab/heartbeat/main.ts';
export const DR_SERVICE_MAIN = 'lab/dr-service/main.ts';

/** The word each unit kind's command line contains: how a pid read from a file is told from a reused one. */
export const UNIT_COMMAND_WORD: Record<'service' | 'heartbeat' | 'dr-service' | 'vault' | 'secret-agent', string> = {
  service: 'reference-service',
  heartbeat: 'heartbeat',
  'dr-service': 'dr-service',
  vault: 'vault',
  'secret-agent': 'secret-agent',
};
export const SECRET_AGENT_MAIN = 'lab/secret-agent/main.ts';
