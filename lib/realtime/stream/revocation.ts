import "server-only";
import { db } from "@/db";
import { filterValidSessions } from "@/db/queries/sessions";
import { forgetAllSessions, forgetUserSessions, rememberRevoked } from "@/lib/auth/session-store";
import { logError } from "@/lib/logging/log-error.mjs";
import { CoalescingLoop } from "../coalescing-loop";
import type { Hub, Subscriber } from "./hub";

const CHUNK = 5_000;

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
  /** Sessions announced revoked since the last check. */
  private revokedIds = new Set<string>();
  private all = false;
  private readonly loop: CoalescingLoop;

  constructor(private readonly hub: Hub) {
    this.loop = new CoalescingLoop({
      pending: () => this.users.size > 0 || this.all,
      run: () => this.nextCheck(),
      failed: (err) => logError("session re-check failed; retrying", err),
    });
  }

  /**
   * A session of this user was revoked or deleted; `sessionId` when the announcement says which (the
   * WAL row does, NOTIFY does not). That session's streams end whatever the re-check reads: the WAL
   * announces a commit a moment before new snapshots see it, so the query alone could still find the
   * session valid and leave its streams open.
   */
  revoked(userId: string, sessionId?: string) {
    forgetUserSessions(userId);
    if (sessionId) rememberRevoked(sessionId, userId);
    if (!this.hub.hasSubscribers(userId)) return;
    if (sessionId) this.revokedIds.add(sessionId);
    this.users.add(userId);
    this.loop.kick();
  }

  /** Announcements may have been missed: re-check every open stream. */
  recheckAll() {
    forgetAllSessions();
    this.all = true;
    this.loop.kick();
  }

  private async nextCheck() {
    const users = this.all ? this.hub.users() : [...this.users];
    const revoked = this.revokedIds;
    this.users = new Set();
    this.revokedIds = new Set();
    this.all = false;
    try {
      await this.check(users.flatMap((u) => this.hub.subscribersOf(u)), revoked);
    } catch (err) {
      for (const u of users) this.users.add(u);
      for (const id of revoked) this.revokedIds.add(id);
      throw err;
    }
  }

  private async check(subs: Subscriber[], revoked: Set<string>) {
    const ids = [...new Set(subs.map((s) => s.sessionId).filter((id): id is string => !!id && !revoked.has(id)))];
    const valid = new Set<string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const id of await filterValidSessions(db, ids.slice(i, i + CHUNK))) valid.add(id);
    }
    // A subscriber token's stream has no session (lib/realtime/stream/signing-keys.ts watches its key).
    for (const sub of subs) if (!sub.signingKey && (!sub.sessionId || !valid.has(sub.sessionId))) sub.close();
  }
}
