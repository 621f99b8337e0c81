import { randomUUID } from 'node:crypto';
import { typeKey, type ResourceType } from './resource-types.ts';
import type { Matcher, SimObject } from './selectors.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface HistoryEntry {
  rv: number;
  type: WatchEventType;
  typeKey: string;
  obj: SimObject;
}

export interface StoreWatcher {
  typeKey: string;
  namespace: string | undefined;
  match: Matcher;
  send(type: WatchEventType, obj: SimObject): void;
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * One cluster's objects, with a cluster-wide resourceVersion like etcd's revision and a bounded history of changes
 * so that a watch can resume from a version. Versions older than the history answer 410 Gone, as a compacted
 * etcd would.
 */
export class ObjectStore {
  private revision = 1000;
  private readonly objects = new Map<string, SimObject>();
  private readonly history: HistoryEntry[] = [];
  private readonly watchers = new Set<StoreWatcher>();

  constructor(private readonly historyLimit = 10_000) {}

  get resourceVersion(): string {
    return String(this.revision);
  }

  /** The oldest version a watch may resume from. */
  get oldestResumable(): number {
    return this.history.length ? this.history[0]!.rv - 1 : this.revision;
  }

  private key(t: ResourceType, namespace: string | undefined, name: string): string {
    return `${typeKey(t)}|${namespace ?? ''}|${name}`;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): SimObject | undefined {
    const obj = this.objects.get(this.key(t, namespace, name));
    return obj && clone(obj);
  }

  list(t: ResourceType, namespace: string | undefined, match: Matcher): SimObject[] {
    const prefix = `${typeKey(t)}|`;
    const out: SimObject[] = [];
    for (const [k, obj] of this.objects) {
      if (!k.startsWith(prefix)) continue;
      if (namespace !== undefined && obj.metadata.namespace !== namespace) continue;
      if (match(obj)) out.push(clone(obj));
    }
    return out.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  create(t: ResourceType, obj: SimObject): SimObject {
    const stored = clone(obj);
    stored.metadata.uid = randomUUID();
    stored.metadata.generation = 1;
    stored.metadata.creationTimestamp = new Date().toISOString();
    this.objects.set(this.key(t, stored.metadata.namespace, stored.metadata.name), stored);
    this.record(t, 'ADDED', stored);
    return clone(stored);
  }

  update(t: ResourceType, obj: SimObject): SimObject {
    const k = this.key(t, obj.metadata.namespace, obj.metadata.name);
    if (!this.objects.has(k)) throw new Error(`update of missing object ${k}`);
    const stored = clone(obj);
    this.objects.set(k, stored);
    this.record(t, 'MODIFIED', stored);
    return clone(stored);
  }

  remove(t: ResourceType, namespace: string | undefined, name: string): SimObject | undefined {
    const k = this.key(t, namespace, name);
    const obj = this.objects.get(k);
    if (!obj) return undefined;
    this.objects.delete(k);
    this.record(t, 'DELETED', obj);
    return clone(obj);
  }

  private record(t: ResourceType, type: WatchEventType, obj: SimObject): void {
    obj.metadata.resourceVersion = String(++this.revision);
    const entry = { rv: this.revision, type, typeKey: typeKey(t), obj: clone(obj) };
    this.history.push(entry);
    if (this.history.length > this.historyLimit) this.history.shift();
    for (const w of this.watchers) if (this.matches(w, entry)) w.send(type, clone(obj));
  }

  private matches(w: StoreWatcher, e: HistoryEntry): boolean {
    return w.typeKey === e.typeKey && (w.namespace === undefined || e.obj.metadata.namespace === w.namespace) && w.match(e.obj);
  }

  /** Forgets history up to now, so older versions answer 410 Gone: what compaction does to a real cluster. */
  compact(): void {
    this.history.length = 0;
  }

  /**
   * Starts a watch after `fromVersion`: replays the newer history, then follows. Returns undefined when that version
   * is too old to resume from (the caller answers 410 Gone).
   */
  watch(w: StoreWatcher, fromVersion: number): (() => void) | undefined {
    if (fromVersion < this.oldestResumable) return undefined;
    for (const e of this.history) if (e.rv > fromVersion && this.matches(w, e)) w.send(e.type, clone(e.obj));
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }
}
