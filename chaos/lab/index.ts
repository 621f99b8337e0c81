export { LabFaultDriver, type LabDriverOptions } from './lab-fault-driver.ts';
export { readLabSnapshot, type LabSnapshot } from './lab-snapshot.ts';
