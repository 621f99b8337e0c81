import type { GlobalEntryOptions } from '../components/nginx.ts';

/** What the DR service needs to know, written by `lab up` to `dr-service.json` in the run folder. */
export interface DrServiceConfig {
  runDir: string;
  port: number;
  primary: string;
  secondary: string;
  /** Health checks of the active region's ingress: how often, and how many missed in a row before it fails over. */
  intervalMs: number;
  missed: number;
  /** Armed from the start; a game day with a manual failover disarms it (POST /watch) so the two never race. */
  armed: boolean;
  ingress: Record<string, number>;
  globalEntry: Omit<GlobalEntryOptions, 'activeIngressPort' | 'activeRegion'>;
  dbUser: string;
  /** The secondary's copies, promoted by the runbook. */
  replicaPort: number;
  cdcPort?: number;
  natsPort?: number;
  mirrorStore?: string;
  /** Service replicas per region, nudged to re-read the failover record. */
  servicePorts: Record<string, number[]>;
}

export const DR_CONFIG_FILE = 'dr-service.json';
