import "server-only";
import { rawSql } from "@/db";
import { readJoinStates, readRound, type Change, type Counts, type SeqRange } from "@/db/queries/delivery";
import { logError } from "@/lib/logging/log-error.mjs";
import { metrics, sourceLabel } from "@/lib/metrics";
import { toPreferencesDTO, type PreferencesDTO } from "@/lib/preferences/model";
import { CoalescingLoop } from "./coalescing-loop";
import { NO_COUNTS, changeFrames, countFrame } from "./frames";
import { HeldTargets } from "./held-targets";
import type { Hub, Publisher } from "./hub";
import { Recent } from "./recent";
import { Visibility } from "./visibility";
import { RECENT_MS, WalState, type Taken, type WalCounts, type WalRow } from "./wal-state";

/** Numbers read per user per round, so one huge burst cannot hold the whole batch in memory. */
const MAX_RANGE = 2_000;
/** Announcement times kept per user (pairs): past this, later numbers go without a latency sample. */
const MAX_HEARD = 8_192;
/** How soon to read again a change announced before this process's snapshots could see it. */
const NOT_YET_VISIBLE_RETRY_MS = 2;

/**
 * Turns "user U has changes up to number N" into frames, one round at a time, so there is exactly
 * one writer of each user's watermark and every user's events go out in order:
 *   - NOTIFY payloads set targets (the highest number announced per user);
 *   - a user's first stream on this process "joins": their current number becomes the watermark;
 *   - after the change feed's connection was lost, catch-up re-reads every connected user's number, so
 *     whatever was committed while nobody listened is delivered from the table.
 * A round reads every range (watermark, target] with the users' unread counts (and preferences,
 * when there are new notifications to decide delivery for) in one statement, then publishes. Committed
 * numbers of a user have no holes (they are taken under the user's row lock and rolled back with
 * it), so a range read is complete and nothing is skipped. It holds the hub's one Publisher: no
 * other code moves a watermark.
 *
 * A change can be announced before a new snapshot sees it: logical decoding sends a transaction
 * once its commit record is flushed, a moment before the committing backend leaves the proc array.
 * So a round trusts its own snapshot, not the announcement: it publishes up to the user's number as
 * that snapshot has it (read in the same statement) and reads the rest again a moment later. A
 * watermark never passes a change the round could not see.
 *
 * Where the feed carries rows (logical replication), most rounds read nothing: a range of new
 * notifications whose rows and counter row the WAL brought is published from them (wal-state.ts),
 * and only the other ranges are read.
 */
export class Dispatcher {
  private targets = new Map<string, number>();
  /** Users whose pending changes include new notifications: their preferences are read too. */
  private inserts = new Set<string>();
  private joins = new Set<string>();
  private catchUpAll = false;
  /** Announced numbers the last round's snapshot did not see yet, read again after a moment. */
  private notYetVisible = new HeldTargets();
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly wal = new WalState();
  private readonly visibility = new Visibility();
  /**
   * The last number announced for users with no stream here. A user whose first stream joins reads
   * their number from the tables, and a commit announced just before may not be visible to that read
   * yet: this one is then read again (as any announcement is).
   */
  private announcedElsewhere = new Recent<number>(RECENT_MS, 200_000);
  /** Ranges part of which is in the transaction still being received: taken again at its commit. */
  private awaitingCommit = new HeldTargets();
  /**
   * When the feed heard each connected user's pending numbers, as pairs (number, Unix ms) in rising
   * order: the transaction's commit time where the WAL carries it, else when the NOTIFY arrived. The
   * delivery latency counts from there, not from a created_at the writer may have set.
   */
  private heardAt = new Map<string, number[]>();
  private openCommittedAt: number | null = null;
  private readonly publisher: Publisher;
  private readonly loop: CoalescingLoop;
  rounds = 0;
  failures = 0;

  constructor(private readonly hub: Hub) {
    this.publisher = hub.publisher();
    this.loop = new CoalescingLoop({
      pending: () => this.targets.size > 0 || this.joins.size > 0 || this.catchUpAll,
      run: () => this.nextRound(),
      failed: (err) => {
        this.failures++;
        logError("realtime dispatch failed; retrying", err);
      },
    });
  }

  /** A user's first stream on this process: read their current number (the hub calls this). */
  join(userId: string) {
    this.wal.join(userId);
    this.joins.add(userId);
    this.loop.kick();
  }

  /** The user's last stream on this process closed (the hub calls this). */
  leave(userId: string) {
    this.wal.leave(userId);
    this.heardAt.delete(userId);
  }

  /**
   * The feed heard "user U has changes up to `seq`" (`op` insert, update or delete); `row`: the new
   * notification itself, where the feed carries it.
   */
  announced(userId: string, seq: number, op: string, row?: WalRow) {
    if (!this.hub.hasSubscribers(userId)) {
      // Nobody here listens for that user: no query at all, only a note in case their stream is
      // joining (a user's numbers are announced in order).
      this.announcedElsewhere.set(userId, seq);
      return;
    }
    if (row && seq > (this.hub.watermark(userId) ?? 0)) this.wal.inserted(userId, seq, row);
    const heard = this.heardAt.get(userId);
    if (!heard) this.heardAt.set(userId, [seq, this.openCommittedAt ?? Date.now()]);
    else if (seq > heard[heard.length - 2] && heard.length < MAX_HEARD) heard.push(seq, this.openCommittedAt ?? Date.now());
    if (seq > (this.targets.get(userId) ?? 0)) this.targets.set(userId, seq);
    if (op === "insert") this.inserts.add(userId);
    this.loop.kick();
  }

  /** The user's counter row, after their change numbered `counts.seq` (kept only for users with streams here). */
  counted(userId: string, counts: WalCounts) {
    this.wal.counted(userId, counts);
  }

  /** The user's preferences changed: read them again before deciding a delivery by them. */
  preferencesChanged(userId: string) {
    this.wal.preferencesChanged(userId);
  }

  /** The feed is receiving transaction `xid`: its rows and counts are whole only at its commit. */
  transactionBegins(xid: number, committedAt: number) {
    this.wal.begin(xid);
    this.openCommittedAt = committedAt;
  }

  transactionCommitted() {
    this.wal.commit();
    this.openCommittedAt = null;
    this.release(this.awaitingCommit);
  }

  /** Announcements may have been missed (the feed's connection was lost): re-read every connected user. */
  catchUp() {
    this.wal.abandonOpen();
    this.openCommittedAt = null;
    this.release(this.awaitingCommit);
    this.catchUpAll = true;
    this.loop.kick();
  }

  /** Puts held ranges back among the targets, for the next round. */
  private release(held: HeldTargets) {
    if (held.size === 0) return;
    for (const [userId, { upTo, insert }] of held.takeAll()) {
      if (upTo > (this.targets.get(userId) ?? 0)) this.targets.set(userId, upTo);
      if (insert) this.inserts.add(userId);
    }
    this.loop.kick();
  }

  private async nextRound() {
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
    } catch (err) {
      // The database is unreachable or restarting: keep the joins, and re-read every user's
      // number when it is back (that covers the targets this round lost).
      for (const u of joins) this.joins.add(u);
      this.catchUpAll = true;
      throw err;
    }
  }

  /** `inserts` null: not known (a catch-up), read everyone's preferences. */
  private async round(targets: Map<string, number>, inserts: Set<string> | null, joins: Set<string>, all: boolean) {
    this.rounds++;
    const hub = this.hub;
    const toRead = all ? hub.users() : [...joins].filter((u) => hub.hasSubscribers(u) && hub.watermark(u) === null);
    if (toRead.length) {
      const states = await readJoinStates(rawSql(), toRead);
      for (const u of toRead) {
        const state = states.get(u);
        const seq = state?.seq ?? 0;
        if (state) this.wal.learned(u, { seq, snapshot: state.snapshot, prefs: toPreferencesDTO(state.preferences), nextExpiry: state.nextExpiry });
        if (hub.watermark(u) === null) {
          this.publisher.initWatermark(u, seq);
          this.wal.published(u, seq); // rows the WAL brought that the tables already had
          const announced = this.announcedElsewhere.get(u) ?? 0;
          if (announced > seq && announced > (targets.get(u) ?? 0)) {
            targets.set(u, announced);
            inserts?.add(u); // whatever it was: read the preferences with it
          }
        } else if (seq > (targets.get(u) ?? 0)) targets.set(u, seq);
      }
    }
    const ranges: SeqRange[] = [];
    for (const [userId, target] of targets) {
      if (!hub.hasSubscribers(userId)) continue;
      const watermark = hub.watermark(userId);
      if (watermark === null) {
        this.joins.add(userId); // joined during this round: read its number next round
        this.targets.set(userId, Math.max(target, this.targets.get(userId) ?? 0));
        if (!inserts || inserts.has(userId)) this.inserts.add(userId);
        continue;
      }
      if (target <= watermark) continue;
      const upTo = Math.min(target, watermark + MAX_RANGE);
      const withPreferences = !inserts || inserts.has(userId) || !this.wal.knowsPreferences(userId);
      if (upTo < target) {
        this.targets.set(userId, Math.max(target, this.targets.get(userId) ?? 0));
        if (withPreferences) this.inserts.add(userId);
      }
      ranges.push({ userId, after: watermark, upTo, withPreferences });
    }
    const m = metrics();
    const reads = await this.publishFromWal(ranges);
    if (reads.length === 0) return;
    const read = m.deliveryRound.startTimer({ phase: "read" });
    const round = await readRound(rawSql(), reads);
    read();
    const published = m.deliveryRound.startTimer({ phase: "publish" });
    const byUser = new Map<string, Change[]>();
    for (const c of round.changes) {
      const list = byUser.get(c.userId);
      if (list) list.push(c);
      else byUser.set(c.userId, [c]);
    }
    for (const r of reads) {
      // A stream that joined meanwhile saw the same watermark; one that left and came back starts over.
      if (hub.watermark(r.userId) !== r.after) continue;
      const current = round.current.get(r.userId);
      const seen = Math.min(r.upTo, current ?? r.upTo);
      const prefs = round.preferences.has(r.userId) ? toPreferencesDTO(round.preferences.get(r.userId)!) : undefined;
      if (current !== undefined && round.snapshot) {
        this.wal.learned(r.userId, { seq: current, snapshot: round.snapshot, prefs, nextExpiry: round.nextExpiry.get(r.userId) });
      }
      if (seen < r.upTo) this.readAgainSoon(r.userId, r.upTo, r.withPreferences === true);
      if (seen <= r.after) continue;
      const changes = (byUser.get(r.userId) ?? []).filter((c) => c.seq <= seen);
      this.publish(r.userId, changes, round.counts.get(r.userId) ?? NO_COUNTS, prefs, seen);
    }
    published();
    m.deliveryRanges.inc({ source: "tables" }, reads.length);
  }

  /**
   * Publishes the ranges the WAL brought whole (wal-state.ts), once a snapshot sees their
   * transactions (visibility.ts); returns the ones to read. A range whose transaction is not visible
   * yet is read instead, which waits; one in the transaction still being received waits for its commit.
   */
  private async publishFromWal(ranges: SeqRange[]): Promise<SeqRange[]> {
    const now = Date.now();
    const reads: SeqRange[] = [];
    const taken: (Taken & { range: SeqRange })[] = [];
    for (const range of ranges) {
      const fromWal = this.wal.take(range, now);
      if (fromWal === "pending") this.awaitingCommit.hold(range.userId, range.upTo, range.withPreferences === true);
      else if (fromWal) taken.push({ range, ...fromWal });
      else reads.push(range);
    }
    if (taken.length === 0) return reads;
    const snapshot = await this.visibility.snapshotFor(taken.flatMap((t) => t.xids), now);
    const m = metrics();
    const published = m.deliveryRound.startTimer({ phase: "publish" });
    let count = 0;
    for (const { range, changes, counts, prefs, xids } of taken) {
      if (this.hub.watermark(range.userId) !== range.after) continue; // left and came back: starts over
      if (!xids.every((xid) => snapshot.sees(xid))) {
        reads.push(range);
        continue;
      }
      this.publish(range.userId, changes, counts, prefs, range.upTo);
      count++;
    }
    published();
    m.deliveryRanges.inc({ source: "wal" }, count);
    return reads;
  }

  private publish(userId: string, changes: Change[], counts: Counts, prefs: PreferencesDTO | undefined, upTo: number) {
    const frames = changeFrames(changes, prefs, { quiet: false });
    frames.push(countFrame(counts));
    this.publisher.publish(userId, frames, upTo);
    this.wal.published(userId, upTo);
    recordLive(changes, this.heardAt.get(userId));
    this.forgetHeard(userId, upTo);
  }

  private forgetHeard(userId: string, upTo: number) {
    const heard = this.heardAt.get(userId);
    if (!heard) return;
    let i = 0;
    while (i < heard.length && heard[i] <= upTo) i += 2;
    if (i >= heard.length) this.heardAt.delete(userId);
    else if (i > 0) heard.splice(0, i);
  }

  /** The snapshot did not see up to `upTo` yet (announced a moment early): read it again shortly. */
  private readAgainSoon(userId: string, upTo: number, withPreferences: boolean) {
    this.notYetVisible.hold(userId, upTo, withPreferences);
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.release(this.notYetVisible);
    }, NOT_YET_VISIBLE_RETRY_MS);
    this.retryTimer.unref();
  }
}

/**
 * New notifications just written to their user's streams: counted, and (once each, not per stream)
 * their latency from when the feed heard of them (`heard`, see Dispatcher.heardAt); those nobody
 * announced (read on a catch-up) have no such time and no sample.
 */
function recordLive(changes: Change[], heard: number[] | undefined) {
  const m = metrics();
  const now = Date.now();
  let i = 0;
  for (const c of changes) {
    if (c.kind !== "created" || !c.row || (c.row.expiresAt !== null && c.row.expiresAt.getTime() <= now)) continue;
    m.liveNotifications.inc({ category: c.row.category, source: sourceLabel(c.row.source) });
    // The first announcement that covered this number (changes come in rising order).
    while (heard && i < heard.length && heard[i] < c.seq) i += 2;
    if (heard && i < heard.length) m.deliveryLatency.observe(Math.max(0, now - heard[i + 1]) / 1000);
  }
}
