/**
 * The served objects with resourceVersions, and watch events: each refresh compares the projected
 * objects with the last ones and gives every changed object the next resourceVersion.
 */
import type { KubeObject } from './objects.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly key: string;
  readonly resourceVersion: number;
  readonly object: KubeObject;
}

/** Events kept for watches that resume from a resourceVersion (older ones get 410 Gone). */
const HISTORY_LIMIT = 5000;

export class ObjectStore {
  private readonly objects = new Map<string, { json: string; object: KubeObject }>();
  private readonly history: WatchEvent[] = [];
  private readonly listeners = new Set<(event: WatchEvent) => void>();
  private version = 1;

  get resourceVersion(): number {
    return this.version;
  }

  /** Replaces the contents with `next`; returns the events it caused. */
  refresh(next: ReadonlyMap<string, KubeObject>): WatchEvent[] {
    const events: WatchEvent[] = [];
    for (const [key, object] of next) {
      const json = JSON.stringify(object);
      const previous = this.objects.get(key);
      if (previous !== undefined && previous.json === json) continue;
      events.push(this.record(previous === undefined ? 'ADDED' : 'MODIFIED', key, object, json));
    }
    for (const [key, previous] of [...this.objects]) {
      if (next.has(key)) continue;
      this.objects.delete(key);
      events.push(
        this.emit({
          type: 'DELETED',
          key,
          resourceVersion: ++this.version,
          object: this.stamp(previous.object, this.version),
        }),
      );
    }
    return events;
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key)?.object;
  }

  /** Objects whose key starts with `prefix`, in key order. */
  list(prefix: string): KubeObject[] {
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v.object);
  }

  /** Events after `resourceVersion` (null when they are no longer kept). */
  since(resourceVersion: number): WatchEvent[] | null {
    const oldest = this.history[0]?.resourceVersion ?? this.version + 1;
    if (resourceVersion + 1 < oldest && resourceVersion < this.version) return null;
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(type: WatchEventType, key: string, object: KubeObject, json: string): WatchEvent {
    const version = ++this.version;
    const stamped = this.stamp(object, version);
    this.objects.set(key, { json, object: stamped });
    return this.emit({ type, key, resourceVersion: version, object: stamped });
  }

  private stamp(object: KubeObject, version: number): KubeObject {
    return { ...object, metadata: { ...object.metadata, resourceVersion: String(version) } };
  }

  private emit(event: WatchEvent): WatchEvent {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const listener of this.listeners) listener(event);
    return event;
  }
}
