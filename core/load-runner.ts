import type { LoadProfile } from './load-profile.ts';
import type { RequestLine } from './request-event.ts';
import type { RequestWindows } from './request-window.ts';

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

/**
 * Every request the load generator makes, as it happens: its lines are kept on disk (JSON lines, see
 * ARCHITECTURE.md) and aggregated per region in sliding windows for guardrails and RTO clocks.
 */
export interface RequestStream {
  /** The raw lines on disk, in the run's session folder, for judges reading them after the run. */
  readonly path: string;
  /** Per-region sliding aggregates, fed as lines are read. */
  readonly windows: RequestWindows;
  /** Calls `listener` with every line from now on; returns the unsubscribe. */
  subscribe(listener: (line: RequestLine) => void): () => void;
  /** Lines read so far. */
  readonly lines: number;
}

export interface RunningLoad {
  /** Resolves when the load ends by itself. */
  readonly done: Promise<LoadSummary>;
  /** Ends the load early and resolves with what it achieved. */
  stop(): Promise<LoadSummary>;
  /** The per-request stream, when the runner can stream it (the local k6 runner does; k6-operator does not). */
  readonly requests?: RequestStream;
}

/** Starts the load for a scenario. The engine knows load generators only through this. */
export interface LoadRunner {
  /** True when the load it starts carries a {@link RequestStream}: request-stream guardrails need one. */
  readonly streamsRequests?: boolean;
  start(profile: LoadProfile, options: { runId: string; scenario: string; durationMs: number }): Promise<RunningLoad>;
}
