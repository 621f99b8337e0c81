export * from './binaries.ts';
export * from './ports.ts';
export * from './proc.ts';
export * from './run-as.ts';
export * from './spawn.ts';
export * from './stop.ts';
export * from './wait.ts';
