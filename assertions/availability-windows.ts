import type { RequestEvent } from '../core/index.ts';
import { sentAt } from './data-loss.ts';

/** Sliding window over which per-request availability is judged. Long enough for tens of requests at game-day rates. */
export const RTO_WINDOW_MS = 1_000;

/**
 * The sliding windows of per-request availability that fall below `threshold`. The window ending at each request
 * holds the requests sent in the `RTO_WINDOW_MS` before it (itself included); each window below the threshold is
 * yielded as those requests, oldest first. `requests` must be sorted by the time they were sent.
 */
export function* windowsBelow(requests: RequestEvent[], threshold: number): Generator<RequestEvent[]> {
  let from = 0;
  let failed = 0;
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i]!;
    if (!r.ok) failed++;
    while (sentAt(requests[from]!) <= sentAt(r) - RTO_WINDOW_MS) {
      if (!requests[from]!.ok) failed--;
      from++;
    }
    const total = i - from + 1;
    if ((total - failed) / total < threshold) yield requests.slice(from, i + 1);
  }
}
