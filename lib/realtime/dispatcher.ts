import "server-only";
import { rawSql } from "@/db";
import { readCurrentSeqs, readRound, type Change, type SeqRange } from "@/db/queries/delivery";
import { logError } from "@/lib/logging/log-error.mjs";
import { toPreferencesDTO } from "@/lib/preferences/model";
import { changeFrames, countFrame } from "./events";
import type { Hub } from "./hub";

/** Numbers read per user per round, so one huge burst cannot hold the whole batch in memory. */
const MAX_RANGE = 2_000;
const MAX_RETRY_MS = 2_000;

/**
 * Turns "user U has changes up to number N" into frames, one round at a time, so there is exactly
 * one writer of each user's watermark and every user's events go out in order:
 *   - NOTIFY payloads set targets (the highest number announced per user);
 *   - a user's first stream on this process "joins": their current number becomes the watermark;
 *   - after the LISTEN connection was lost, catch-up re-reads every connected user's number, so
 *     whatever was committed while nobody listened is delivered from the table.
 * A round reads every range (watermark, target] with the users' unread counts (and preferences,
 * when there are new notifications to decide delivery for) in one statement, then publishes. Committed numbers of a user have no holes (they are taken under the
 * user's row lock and rolled back with it), so a range read is complete and nothing is skipped.
 */
export class Dispatcher {
  private targets = new Map<string, number>();
  /** Users whose pending changes include new notifications: their preferences are read too. */
  private inserts = new Set<string>();
  private joins = new Set<string>();
  private catchUpAll = false;
  private running = false;
  private retryMs = 50;
  rounds = 0;
  failures = 0;

  constructor(private readonly hub: Hub) {
    hub.onJoin = (userId) => {
      this.joins.add(userId);
      this.kick();
    };
  }

  notify(userId: string, seq: number, op: string) {
    if (!this.hub.hasSubscribers(userId)) return; // nobody here listens for that user: no query at all
    if (seq > (this.targets.get(userId) ?? 0)) this.targets.set(userId, seq);
    if (op === "insert") this.inserts.add(userId);
    this.kick();
  }

  catchUp() {
    this.catchUpAll = true;
    this.kick();
  }

  private kick() {
    if (this.running) return;
    this.running = true;
    // setImmediate: every payload that arrived in this tick goes into the same round.
    setImmediate(() => void this.loop());
  }

  private async loop() {
    while (this.targets.size || this.joins.size || this.catchUpAll) {
      const targets = this.targets;
      const inserts = this.inserts;
      const joins = this.joins;
      const all = this.catchUpAll;
      this.targets = new Map();
      this.inserts = new Set();
      this.joins = new Set();
      this.catchUpAll = false;
      try {
        await this.round(targets, all ? null : inserts, joins, all);
        this.retryMs = 50;
      } catch (err) {
        this.failures++;
        logError("realtime dispatch failed; retrying", err);
        // The database is unreachable or restarting: keep the joins, and re-read every user's
        // number when it is back (that covers the targets this round lost).
        for (const u of joins) this.joins.add(u);
        this.catchUpAll = true;
        await new Promise((r) => setTimeout(r, this.retryMs).unref());
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
      }
    }
    this.running = false;
  }

  /** `inserts` null: not known (a catch-up), read everyone's preferences. */
  private async round(targets: Map<string, number>, inserts: Set<string> | null, joins: Set<string>, all: boolean) {
    this.rounds++;
    const hub = this.hub;
    const toRead = all ? hub.users() : [...joins].filter((u) => hub.hasSubscribers(u) && hub.watermark(u) === null);
    if (toRead.length) {
      const current = await readCurrentSeqs(rawSql(), toRead);
      for (const u of toRead) {
        const seq = current.get(u) ?? 0;
        if (hub.watermark(u) === null) hub.initWatermark(u, seq);
        else if (seq > (targets.get(u) ?? 0)) targets.set(u, seq);
      }
    }
    const ranges: SeqRange[] = [];
    for (const [userId, target] of targets) {
      if (!hub.hasSubscribers(userId)) continue;
      const lo = hub.watermark(userId);
      if (lo === null) {
        this.joins.add(userId); // joined during this round: read its number next round
        this.targets.set(userId, Math.max(target, this.targets.get(userId) ?? 0));
        if (!inserts || inserts.has(userId)) this.inserts.add(userId);
        continue;
      }
      if (target <= lo) continue;
      const hi = Math.min(target, lo + MAX_RANGE);
      const withPreferences = !inserts || inserts.has(userId);
      if (hi < target) {
        this.targets.set(userId, Math.max(target, this.targets.get(userId) ?? 0));
        if (withPreferences) this.inserts.add(userId);
      }
      ranges.push({ userId, lo, hi, withPreferences });
    }
    if (ranges.length === 0) return;
    const round = await readRound(rawSql(), ranges);
    const byUser = new Map<string, Change[]>();
    for (const c of round.changes) {
      const list = byUser.get(c.userId);
      if (list) list.push(c);
      else byUser.set(c.userId, [c]);
    }
    for (const r of ranges) {
      // The watermark only moves here, in order; a stream that joined meanwhile saw the same value.
      if (hub.watermark(r.userId) !== r.lo) continue;
      const prefs = round.preferences.has(r.userId) ? toPreferencesDTO(round.preferences.get(r.userId)!) : undefined;
      const frames = changeFrames(byUser.get(r.userId) ?? [], prefs, { quiet: false });
      frames.push(countFrame(round.unread.get(r.userId) ?? 0));
      hub.publish(r.userId, frames, r.hi);
    }
  }
}
