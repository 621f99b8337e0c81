export { LabFaultDriver, type LabDriverOptions } from './lab-fault-driver.ts';
