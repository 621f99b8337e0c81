/**
 * What the harness hands the k6 script, as JSON: the options it computed and where each region's ingress is.
 * Type-only and free of imports, so both the k6 runtime and the Node harness can read it.
 */
export interface K6ScriptConfig {
  /** k6 options, exported by the script as they are (see load/k6-options.ts). */
  options: Record<string, unknown>;
  /** Region (= k6 scenario name) → base URL of that region's ingress, e.g. `http://127.0.0.1:19080`. */
  ingress: Record<string, string>;
  /** Share of iterations that write, 0..1. */
  writeRatio: number;
  /** Per-request timeout in milliseconds. */
  requestTimeoutMs: number;
  /** Reads ask for a random id in 1..itemCount; ids never written answer 404, which counts as success. */
  itemCount: number;
  /** Where handleSummary writes k6's summary data as JSON. Unset: it goes to stdout after a marker line. */
  summaryPath?: string;
  /**
   * Log one JSON line per request sent and per request back (the request stream, see ARCHITECTURE.md) to k6's
   * console, which the local runner points at a file with --console-output. Default false: in-cluster runs leave it
   * off, their console is the pod log.
   */
  streamRequests?: boolean;
  /** Prefix of every write id, unique per run (the run id), so ids never collide across runs. Default `'w'`. */
  writeIdPrefix?: string;
}

/** The environment variable carrying the config: a path to a JSON file, or the JSON itself. */
export const K6_CONFIG_ENV = 'FAULTLINE_K6_CONFIG';

/** Precedes the summary JSON on stdout when no summaryPath is set (in-cluster runs read it from the pod log). */
export const SUMMARY_MARKER = 'faultline-k6-summary:';
