import type { LoadProfile } from './load-profile.ts';

/** What one region's load achieved, parsed from the load generator's own summary. */
export interface RegionLoadSummary {
  region: string;
  requests: number;
  failed: number;
  /** Requests per second over the region's active time. */
  achievedRate: number;
  /** The arrival rate asked for, when the executor has one. */
  targetRate?: number;
  /** Iterations k6 could not start because no VU was free: the load generator, not the SUT, fell short. */
  droppedIterations: number;
  latencyMs: { avg: number; p50: number; p95: number; p99: number; max: number };
}

export interface LoadSummary {
  tool: string;
  durationMs: number;
  regions: RegionLoadSummary[];
  /** Path of the raw summary file the tool wrote, attached to reports. */
  rawPath?: string;
}

export interface RunningLoad {
  /** Resolves when the load ends by itself. */
  readonly done: Promise<LoadSummary>;
  /** Ends the load early and resolves with what it achieved. */
  stop(): Promise<LoadSummary>;
}

/** Starts the load for a scenario. The engine knows load generators only through this. */
export interface LoadRunner {
  start(profile: LoadProfile, options: { runId: string; scenario: string; durationMs: number }): Promise<RunningLoad>;
}
