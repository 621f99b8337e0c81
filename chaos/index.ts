export * from './lab/index.ts';
export * from './mesh/index.ts';
