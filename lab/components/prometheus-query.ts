import { FaultlineError } from '../../core/index.ts';
import { waitFor } from '../process/index.ts';

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/**
 * One instant query. Just enough Prometheus client for the lab to know its data is flowing; SLO queries belong to
 * assertions/. Throws FAULTLINE_PROMETHEUS_UNREACHABLE when nothing answers.
 */
export async function queryPrometheus(url: string, promql: string): Promise<PromSample[]> {
  let res: Response;
  try {
    res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`, { signal: AbortSignal.timeout(3_000) });
  } catch (e) {
    throw unreachable(url, (e as Error).cause ? String((e as Error).cause) : (e as Error).message);
  }
  const body = (await res.json().catch(() => undefined)) as
    | { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } }
    | undefined;
  if (!res.ok || body?.status !== 'success' || !body.data) {
    throw new FaultlineError('FAULTLINE_BAD_PROMQL', `Prometheus at ${url} refused "${promql}": ${body?.error ?? res.status}`);
  }
  if (body.data.resultType !== 'vector') return [];
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/**
 * Waits until `promql` returns samples that `accept` approves (default: at least one). Readiness of Prometheus is not
 * enough: the first scraped sample is queryable only seconds after /-/ready.
 */
export async function waitForPrometheusData(
  url: string,
  promql: string,
  options: { timeoutMs: number; accept?: (samples: PromSample[]) => boolean },
): Promise<PromSample[]> {
  const accept = options.accept ?? ((s) => s.length > 0);
  let lastError: unknown;
  try {
    return await waitFor(
      `Prometheus data for ${promql}`,
      async () => {
        try {
          const samples = await queryPrometheus(url, promql);
          lastError = undefined;
          return accept(samples) ? samples : undefined;
        } catch (e) {
          lastError = e;
          throw e;
        }
      },
      { timeoutMs: options.timeoutMs, intervalMs: 500 },
    );
  } catch (e) {
    if (lastError instanceof FaultlineError) throw lastError;
    throw new FaultlineError(
      'FAULTLINE_NO_DATA',
      `Prometheus at ${url} answers but "${promql}" had no acceptable data after ${options.timeoutMs} ms`,
      'check that its scrape targets are up: open /targets on that Prometheus',
      { cause: e },
    );
  }
}

function unreachable(url: string, detail: string): FaultlineError {
  return new FaultlineError(
    'FAULTLINE_PROMETHEUS_UNREACHABLE',
    `Prometheus at ${url} is not answering (${detail})`,
    'is the lab up? check with `faultline lab status`, or start it with `faultline lab up`',
  );
}
