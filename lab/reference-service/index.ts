export { serviceEnv, readServiceConfig, SERVICE_ENV } from './config.ts';
export type { ServiceConfig } from './config.ts';

/** Entry point, started as `node --import tsx <this file>` by the lab supervisor, once per replica. */
export const REFERENCE_SERVICE_MAIN = 'lab/reference-service/main.ts';
