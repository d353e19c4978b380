import "server-only";
import { inArray } from "drizzle-orm";
import { db } from "@/db";
import { appSigningKeys } from "@/db/schema";
import { logError } from "@/lib/logging/log-error.mjs";
import type { StreamSubscriber } from "./subscriber";

/** How often open subscriber-token streams check that their signing key still exists. */
export const SIGNING_KEY_CHECK_MS = 2_000;

/**
 * Ends the streams opened with a subscriber token whose signing key was deleted (rotation done, or a
 * leak), within SIGNING_KEY_CHECK_MS plus one query: every instance checks the keys its own streams
 * use, in one statement, only while it has such streams. No trigger or announcement is needed, so a
 * key deleted by any program (or a whole app) ends its streams too.
 */
export class SigningKeyWatcher {
  private readonly streams = new Set<StreamSubscriber>();
  private timer: NodeJS.Timeout | null = null;
  private checking = false;

  watch(sub: StreamSubscriber) {
    this.streams.add(sub);
    this.timer ??= setInterval(() => void this.check(), SIGNING_KEY_CHECK_MS);
    this.timer.unref?.();
  }

  private async check() {
    if (this.checking) return;
    for (const sub of this.streams) if (sub.isClosed) this.streams.delete(sub);
    if (this.streams.size === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      return;
    }
    this.checking = true;
    try {
      const kids = [...new Set([...this.streams].map((s) => s.signingKey!))];
      const rows = await db.select({ kid: appSigningKeys.kid }).from(appSigningKeys).where(inArray(appSigningKeys.kid, kids));
      const alive = new Set(rows.map((r) => r.kid));
      for (const sub of this.streams) {
        if (alive.has(sub.signingKey!)) continue;
        this.streams.delete(sub);
        sub.close("token-revoked");
      }
    } catch (err) {
      logError("signing key check failed; retrying", err);
    } finally {
      this.checking = false;
    }
  }
}
