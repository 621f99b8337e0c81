import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from './chaos-status.ts';
import type { ContextClient } from './kube-clients.ts';
import { httpStatusOf, kubeError } from './kube-errors.ts';

export interface ObjectRef {
  group: string;
  version: string;
  plural: string;
  namespace: string;
  name: string;
}

export interface WaitOptions {
  /** Give up after this long; the caller turns that into a timeout error with the reason. */
  timeoutMs: number;
  /** Server-side timeout of each watch request. When one ends the watch is re-established from the last version. */
  watchTimeoutSeconds: number;
  /** Called each time a watch request is (re)opened, for tests and debug logs. */
  onWatch?: (info: { resourceVersion: string; attempt: number }) => void;
}

export interface WaitResult {
  ok: boolean;
  /** The last state seen; undefined when the object does not exist. */
  last: KubeObject | undefined;
}

/** How long after a dropped watch a 401/403 still counts as the API server warming up rather than a refusal. */
const RECOVERY_WINDOW_MS = 30_000;

type WatchEnd = { end: 'accepted' | 'closed' | 'relist' | 'deadline' } | { end: 'failed'; error: unknown };

/**
 * Waits until `accept(object)` holds, by list-then-watch the way informers do: a list gives the state and a
 * resourceVersion, the watch continues from it. A watch that times out is re-opened from the newest version seen
 * (bookmarks included); one that drops or answers 410 Gone falls back to a fresh list, so no change is missed.
 */
export async function waitForObject(
  client: ContextClient,
  ref: ObjectRef,
  accept: (obj: KubeObject | undefined) => boolean,
  options: WaitOptions,
): Promise<WaitResult> {
  const deadline = Date.now() + options.timeoutMs;
  let attempt = 0;
  let backoff = 100;
  // Once a watch has dropped, an API server that has just restarted can answer 401/403 for a few seconds, until its
  // token and RBAC caches are warm again: for a while after a drop those are retried too, like a 5xx.
  let recoverUntil = 0;
  const recovering = () => Date.now() < recoverUntil;
  for (;;) {
    let listed: { item: KubeObject | undefined; resourceVersion: string };
    try {
      listed = await listOne(client, ref);
    } catch (e) {
      // A 5xx or a network blip is retried until the deadline; anything else (403, 404 of the type) is final.
      const status = httpStatusOf(e);
      // 429: an API server whose storage is (re)initializing after a restart asks to be retried.
      const transient = status === undefined || status >= 500 || status === 429 || (recovering() && (status === 401 || status === 403));
      if (!transient || Date.now() + backoff >= deadline) throw kubeError(e, { ...requestOf(client, ref), verb: 'list' });
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 2_000);
      continue;
    }
    let last = listed.item;
    if (accept(last)) return { ok: true, last };
    let rv = listed.resourceVersion;

    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { ok: false, last };
      options.onWatch?.({ resourceVersion: rv, attempt: attempt++ });
      const result = await watchOnce(client, ref, rv, Math.max(1, Math.min(options.watchTimeoutSeconds, Math.ceil(remaining / 1000))), remaining, (type, obj) => {
        const version = obj?.metadata?.resourceVersion;
        if (version) rv = version;
        if (type === 'BOOKMARK') return false;
        last = type === 'DELETED' ? undefined : obj;
        return accept(last);
      });
      if (result.end === 'accepted') return { ok: true, last };
      if (result.end === 'deadline') return { ok: false, last };
      if (result.end === 'closed') continue; // server-side timeout: same stream, re-opened
      if (result.end === 'failed') {
        const status = httpStatusOf(result.error);
        if ((status === 401 || status === 403) && !recovering()) throw kubeError(result.error, { ...requestOf(client, ref), verb: 'watch' });
        if (status === undefined || status >= 500 || status === 429) recoverUntil = Date.now() + RECOVERY_WINDOW_MS;
        await sleep(Math.min(backoff, Math.max(0, deadline - Date.now())));
        backoff = Math.min(backoff * 2, 2_000);
      }
      break; // dropped, failed or 410 Gone: list again
    }
  }
}

function requestOf(client: ContextClient, ref: ObjectRef) {
  return { context: client.context, group: ref.group, resource: ref.plural, namespace: ref.namespace, name: ref.name };
}

async function listOne(client: ContextClient, ref: ObjectRef): Promise<{ item: KubeObject | undefined; resourceVersion: string }> {
  const list = (await client.custom.listNamespacedCustomObject({
    group: ref.group,
    version: ref.version,
    namespace: ref.namespace,
    plural: ref.plural,
    fieldSelector: `metadata.name=${ref.name}`,
  })) as { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
  return { item: list.items?.[0], resourceVersion: list.metadata?.resourceVersion ?? '' };
}

function watchOnce(
  client: ContextClient,
  ref: ObjectRef,
  resourceVersion: string,
  timeoutSeconds: number,
  maxMs: number,
  onEvent: (type: string, obj: KubeObject) => boolean,
): Promise<WatchEnd> {
  return new Promise((resolve) => {
    let settled = false;
    let controller: AbortController | undefined;
    const finish = (result: WatchEnd) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      controller?.abort();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ end: 'deadline' }), maxMs);
    const path = `/apis/${ref.group}/${ref.version}/namespaces/${ref.namespace}/${ref.plural}`;
    const query: Record<string, string | number | boolean> = {
      fieldSelector: `metadata.name=${ref.name}`,
      allowWatchBookmarks: true,
      timeoutSeconds,
    };
    if (resourceVersion) query.resourceVersion = resourceVersion;
    client.watch
      .watch(
        path,
        query,
        (type: string, obj: KubeObject & { code?: number }) => {
          if (settled) return;
          // An ERROR event carries a Status: 410 means our version is too old and only a new list can resync.
          if (type === 'ERROR') return finish(obj.code === 410 ? { end: 'relist' } : { end: 'failed', error: obj });
          if (onEvent(type, obj)) finish({ end: 'accepted' });
        },
        (err: unknown) => finish(err ? { end: 'failed', error: err } : { end: 'closed' }),
      )
      .then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        (err: unknown) => finish({ end: 'failed', error: err }),
      );
  });
}
