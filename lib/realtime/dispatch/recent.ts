import "server-only";

/**
 * Values by key for a while: what the change feed heard lately about users this process was not
 * following yet, kept long enough for any commit it announced to have become visible. A Map in
 * arrival order, pruned of entries older than `ttlMs` (and past `max` entries) as new ones come.
 */
export class Recent<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  set(key: string, value: V, now = Date.now()) {
    for (const [k, entry] of this.entries) {
      if (now - entry.at < this.ttlMs && this.entries.size < this.max) break;
      this.entries.delete(k);
    }
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
  }

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    return entry && now - entry.at < this.ttlMs ? entry.value : undefined;
  }
}
