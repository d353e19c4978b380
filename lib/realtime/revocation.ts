import "server-only";
import { db } from "@/db";
import { filterValidSessions } from "@/db/queries/sessions";
import { forgetAllSessions, forgetUserSessions } from "@/lib/auth/session-store";
import type { Hub, Subscriber } from "./hub";

const CHUNK = 5_000;
const MAX_RETRY_MS = 2_000;

/**
 * Ends the open streams of sessions that are no longer valid. The `herald_sessions` trigger
 * announces "a session of user U was revoked or deleted" (sign-out, sign out everywhere, password
 * change, the user deleted); each instance then re-checks that user's open streams' sessions in one
 * query and closes the revoked ones cleanly: the client reconnects, gets 401 and goes to sign-in.
 * After the LISTEN connection was lost, announcements may have been missed, so every open stream is
 * re-checked.
 */
export class SessionWatcher {
  private users = new Set<string>();
  private all = false;
  private running = false;
  private retryMs = 50;

  constructor(private readonly hub: Hub) {}

  revoked(userId: string) {
    forgetUserSessions(userId);
    if (!this.hub.hasSubscribers(userId)) return;
    this.users.add(userId);
    this.kick();
  }

  recheckAll() {
    forgetAllSessions();
    this.all = true;
    this.kick();
  }

  private kick() {
    if (this.running) return;
    this.running = true;
    // Every announcement of this tick goes into the same query.
    setImmediate(() => void this.loop());
  }

  private async loop() {
    while (this.users.size || this.all) {
      const users = this.all ? this.hub.users() : [...this.users];
      this.users = new Set();
      this.all = false;
      try {
        await this.check(users.flatMap((u) => this.hub.subscribersOf(u)));
        this.retryMs = 50;
      } catch (err) {
        console.error("[herald] session re-check failed; retrying", (err as Error).message);
        for (const u of users) this.users.add(u);
        await new Promise((r) => setTimeout(r, this.retryMs).unref());
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
      }
    }
    this.running = false;
  }

  private async check(subs: Subscriber[]) {
    const ids = [...new Set(subs.map((s) => s.sessionId).filter((id): id is string => !!id))];
    const valid = new Set<string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const id of await filterValidSessions(db, ids.slice(i, i + CHUNK))) valid.add(id);
    }
    for (const sub of subs) if (!sub.sessionId || !valid.has(sub.sessionId)) sub.close();
  }
}
