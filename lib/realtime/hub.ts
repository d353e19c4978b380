import "server-only";

/** One open stream. `write` returns false when the stream is gone or was dropped for being slow. */
export type Subscriber = {
  userId: string;
  write(frame: Uint8Array): boolean;
  close(): void;
};

const encoder = new TextEncoder();

/** Encodes one SSE frame. Done once per event, then written to every subscriber of the user. */
export function sseFrame(event: string, data: unknown, id?: string): Uint8Array {
  const idLine = id ? `id: ${id}\n` : "";
  return encoder.encode(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

const HEARTBEAT = encoder.encode(": heartbeat\n\n");
export const HEARTBEAT_MS = 15_000;

/** Per-process registry of the open streams, keyed by user. */
export class Hub {
  private readonly byUser = new Map<string, Set<Subscriber>>();
  private count = 0;
  private heartbeat: NodeJS.Timeout | undefined;

  subscribe(sub: Subscriber): () => void {
    let set = this.byUser.get(sub.userId);
    if (!set) this.byUser.set(sub.userId, (set = new Set()));
    set.add(sub);
    this.count++;
    // One timer for every stream of the process, not one per connection.
    this.heartbeat ??= setInterval(() => this.broadcast(HEARTBEAT), HEARTBEAT_MS).unref();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      set.delete(sub);
      this.count--;
      if (set.size === 0 && this.byUser.get(sub.userId) === set) this.byUser.delete(sub.userId);
      if (this.count === 0 && this.heartbeat) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
    };
  }

  hasSubscribers(userId: string) {
    return this.byUser.has(userId);
  }

  users(): string[] {
    return [...this.byUser.keys()];
  }

  get size() {
    return this.count;
  }

  publish(userId: string, frame: Uint8Array) {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    for (const sub of set) sub.write(frame);
    return set.size;
  }

  private broadcast(frame: Uint8Array) {
    for (const set of this.byUser.values()) for (const sub of set) sub.write(frame);
  }
}
