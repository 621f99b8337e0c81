// The lab's file contract: what `lab up` and the supervisor write under the run folder, and how the fault driver,
// the CLI and the tests read it back. Shared by lab/ (the writer) and chaos/lab/ (a reader), like a wire protocol.
export * from './lab-state.ts';
export * from './lab-binding.ts';
export * from './lab-readers.ts';
export * from './json-file.ts';
export * from './route-faults.ts';
export * from './safety-files.ts';
export * from './vault-api.ts';
export * from './secret-store.ts';
export * from './slow-disk.ts';
export * from './db-credentials.ts';
