export * from './supervisor-files.ts';

/** Entry point, started detached as `node --import tsx <this file> <runDir>` by `lab up`. */
export const SUPERVISOR_MAIN = 'lab/supervisor/main.ts';
export const HEARTBEAT_MAIN = 'lab/heartbeat/main.ts';
