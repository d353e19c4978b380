import "server-only";
import type { Change, Counts, SeqRange } from "@/db/queries/delivery";
import { logError } from "@/lib/logging/log-error.mjs";
import { metrics } from "@/lib/metrics";
import { toPreferencesDTO, type PreferencesDTO } from "@/lib/preferences/model";
import { CoalescingLoop } from "../coalescing-loop";
import type { FeedTransaction, WalRow } from "../feed/transaction";
import { changeFrames, countFrame } from "../frames";
import type { Hub, Publisher } from "../stream/hub";
import { HeardTimes } from "./heard";
import { HeldTargets } from "./held-targets";
import { Recent } from "./recent";
import { rangeReads, type DeliveryReads } from "./table-reads";
import { Visibility } from "./visibility";
import { RECENT_MS, WalRows, type Taken } from "./wal-rows";

/** Numbers read per user per round, so one huge burst cannot hold the whole batch in memory. */
export const MAX_RANGE = 2_000;
/** How soon to read again a change announced before this process's snapshots could see it. */
const NOT_YET_VISIBLE_RETRY_MS = 2;

/**
 * Turns "user U has changes up to number N" into frames, one round at a time, so there is exactly
 * one writer of each user's watermark and every user's events go out in order:
 *   - the change feed's committed transactions set targets (the highest number announced per user);
 *   - a user's first stream on this process "joins": their current number becomes the watermark;
 *   - after the change feed's connection was lost, catch-up re-reads every connected user's number, so
 *     whatever was committed while nobody listened is delivered from the table; so does a transaction
 *     too big for the feed to keep, once new snapshots see it.
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
 * notifications whose rows and counter row the WAL brought is published from them (wal-rows.ts), and
 * only the other ranges are read, through the port it is given (table-reads.ts).
 */
export class Dispatcher {
  private targets = new Map<string, number>();
  /** Users whose pending changes include new notifications: their preferences are read too. */
  private inserts = new Set<string>();
  private joins = new Set<string>();
  private catchUpAll = false;
  /** Transactions too big for the feed to keep: every connected user is caught up once snapshots see them. */
  private tooBig: number[] = [];
  /** Announced numbers and too-big transactions the last snapshot did not see yet: looked at again in a moment. */
  private notYetVisible = new HeldTargets();
  private tooBigNotYetVisible: number[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly wal = new WalRows();
  private readonly visibility: Visibility;
  /**
   * The last number announced for users with no stream here. A user whose first stream joins reads
   * their number from the tables, and a commit announced just before may not be visible to that read
   * yet: this one is then read again (as any announcement is).
   */
  private announcedElsewhere = new Recent<number>(RECENT_MS, 200_000);
  private readonly heard = new HeardTimes();
  private readonly publisher: Publisher;
  private readonly loop: CoalescingLoop;
  rounds = 0;
  failures = 0;

  constructor(
    private readonly hub: Hub,
    private readonly reads: DeliveryReads,
  ) {
    this.publisher = hub.publisher();
    this.visibility = new Visibility(() => reads.snapshot());
    this.loop = new CoalescingLoop({
      pending: () => this.targets.size > 0 || this.joins.size > 0 || this.catchUpAll || this.tooBig.length > 0,
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
    this.heard.forget(userId);
  }

  /** A committed transaction from the change feed, whole: its numbers become targets, its rows and counts are kept. */
  transaction({ xid, committedAt, changes }: FeedTransaction) {
    if (changes === null) {
      if (xid === null) return this.catchUp();
      this.wal.everyonesPreferencesChanged(xid);
      this.tooBig.push(xid);
      return this.loop.kick();
    }
    for (const c of changes) {
      if (c.kind === "numbered") this.numbered(c.userId, c.seq, c.op, committedAt, xid === null ? undefined : { xid, row: c.row });
      else if (xid === null) continue;
      else if (c.kind === "counts") this.wal.counted(c.userId, c.counts, xid);
      else if (c.kind === "preferences") this.wal.preferencesChanged(c.userId, xid);
    }
  }

  /** Announcements may have been missed (the feed's connection was lost): re-read every connected user. */
  catchUp() {
    this.catchUpAll = true;
    this.loop.kick();
  }

  /** "User U has changes up to `seq`" (`op` insert, update or delete), heard at `at`, with the new row where the WAL carries it. */
  private numbered(userId: string, seq: number, op: string, at: number, wal?: { xid: number; row?: WalRow }) {
    if (!this.hub.hasSubscribers(userId)) {
      // Nobody here listens for that user: no query at all, only a note in case their stream is
      // joining (a user's numbers are announced in order).
      this.announcedElsewhere.set(userId, seq);
      return;
    }
    if (wal?.row && seq > (this.hub.watermark(userId) ?? 0)) this.wal.inserted(userId, seq, wal.row, wal.xid);
    this.heard.heard(userId, seq, at);
    if (seq > (this.targets.get(userId) ?? 0)) this.targets.set(userId, seq);
    if (op === "insert") this.inserts.add(userId);
    this.loop.kick();
  }

  /** Puts held ranges back among the targets, for the next round. */
  private release(held: HeldTargets) {
    for (const [userId, { upTo, insert }] of held.takeAll()) {
      if (upTo > (this.targets.get(userId) ?? 0)) this.targets.set(userId, upTo);
      if (insert) this.inserts.add(userId);
    }
    this.loop.kick();
  }

  private async nextRound() {
    if (this.tooBig.length > 0) await this.catchUpOnceVisible();
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

  /** A catch-up for the too-big transactions, once a new snapshot sees them (before, a read could miss them). */
  private async catchUpOnceVisible() {
    // Not emptied before the read: if it fails they are checked again; if more arrive meanwhile, they join.
    const xids = this.tooBig;
    const snapshot = await this.visibility.snapshotFor(xids);
    this.tooBig = [];
    if (xids.every((xid) => snapshot.sees(xid))) this.catchUpAll = true;
    else {
      this.tooBigNotYetVisible.push(...xids);
      this.retrySoon();
    }
  }

  /** `inserts` null: not known (a catch-up), read everyone's preferences. */
  private async round(targets: Map<string, number>, inserts: Set<string> | null, joins: Set<string>, all: boolean) {
    this.rounds++;
    const hub = this.hub;
    const toRead = all ? hub.users() : [...joins].filter((u) => hub.hasSubscribers(u) && hub.watermark(u) === null);
    if (toRead.length) {
      const states = await this.reads.joinStates(toRead);
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
    const reads = await this.publishFromWal(ranges);
    if (reads.length > 0) await this.publishFromTables(reads);
  }

  /**
   * Publishes the ranges the WAL brought whole (wal-rows.ts), once a snapshot sees their
   * transactions (visibility.ts); returns the ones to read. A range whose transaction is not visible
   * yet is read instead, which waits.
   */
  private async publishFromWal(ranges: SeqRange[]): Promise<SeqRange[]> {
    const now = Date.now();
    const reads: SeqRange[] = [];
    const taken: (Taken & { range: SeqRange })[] = [];
    for (const range of ranges) {
      const fromWal = this.wal.take(range, now);
      if (fromWal) taken.push({ range, ...fromWal });
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

  /** Reads the ranges in one statement and publishes each up to what that statement's snapshot saw. */
  private async publishFromTables(ranges: SeqRange[]) {
    const m = metrics();
    const read = m.deliveryRound.startTimer({ phase: "read" });
    const round = await this.reads.round(ranges);
    read();
    const published = m.deliveryRound.startTimer({ phase: "publish" });
    for (const { range: r, seen, changes, counts, prefs, current, nextExpiry } of rangeReads(ranges, round)) {
      // A stream that joined meanwhile saw the same watermark; one that left and came back starts over.
      if (this.hub.watermark(r.userId) !== r.after) continue;
      if (current !== undefined && round.snapshot) this.wal.learned(r.userId, { seq: current, snapshot: round.snapshot, prefs, nextExpiry });
      if (seen < r.upTo) {
        // The snapshot did not see up to `upTo` yet (announced a moment early): read it again shortly.
        this.notYetVisible.hold(r.userId, r.upTo, r.withPreferences === true);
        this.retrySoon();
      }
      if (seen > r.after) this.publish(r.userId, changes, counts, prefs, seen);
    }
    published();
    m.deliveryRanges.inc({ source: "tables" }, ranges.length);
  }

  private publish(userId: string, changes: Change[], counts: Counts, prefs: PreferencesDTO | undefined, upTo: number) {
    const frames = changeFrames(changes, prefs, { quiet: false });
    frames.push(countFrame(counts));
    this.publisher.publish(userId, frames, upTo);
    this.wal.published(userId, upTo);
    this.heard.published(userId, changes, upTo);
  }

  /** What a snapshot did not see yet is looked at again in a moment. */
  private retrySoon() {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.tooBig.push(...this.tooBigNotYetVisible);
      this.tooBigNotYetVisible = [];
      this.release(this.notYetVisible);
    }, NOT_YET_VISIBLE_RETRY_MS);
    this.retryTimer.unref();
  }
}
