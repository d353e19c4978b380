import "server-only";

/** Users' targets set aside until a moment has passed (a snapshot did not see them yet), then put back. */
export class HeldTargets {
  private held = new Map<string, { upTo: number; insert: boolean }>();

  get size() {
    return this.held.size;
  }

  /** `insert`: new notifications among them (their delivery needs the preferences). */
  hold(userId: string, upTo: number, insert: boolean) {
    const before = this.held.get(userId);
    this.held.set(userId, { upTo: Math.max(upTo, before?.upTo ?? 0), insert: insert || before?.insert === true });
  }

  takeAll() {
    const all = this.held;
    this.held = new Map();
    return all;
  }
}
