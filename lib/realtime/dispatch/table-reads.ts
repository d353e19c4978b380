import "server-only";
import { rawSql } from "@/db";
import { readJoinStates, readRound, readSnapshot, type Change, type Counts, type JoinState, type Round, type SeqRange, type Snapshot } from "@/db/queries/delivery";
import { toPreferencesDTO, type PreferencesDTO } from "@/lib/preferences/model";
import { NO_COUNTS } from "../frames";

/**
 * Everything the dispatcher reads from the database, as a port: the server passes `tableReads`, the
 * unit tests a fake (tests/unit/dispatcher.test.ts), so its rules are checked without a database.
 */
export type DeliveryReads = {
  /** Joining users' current numbers, preferences and earliest unread expiries, in one snapshot. */
  joinStates(userIds: string[]): Promise<Map<string, JoinState>>;
  /** The ranges' changes, each user's counts and current number (and preferences where asked): one statement. */
  round(ranges: SeqRange[]): Promise<Round>;
  /** A new snapshot, to know whether new reads see a transaction the WAL sent. */
  snapshot(): Promise<Snapshot>;
};

export const tableReads: DeliveryReads = {
  joinStates: (userIds) => readJoinStates(rawSql(), userIds),
  round: (ranges) => readRound(rawSql(), ranges),
  snapshot: () => readSnapshot(rawSql()),
};

/**
 * What a round's read found for each range: its changes up to the user's number as the statement's
 * snapshot had it (`seen`, below `range.upTo` when an announced commit was not visible to it yet),
 * the counts, the preferences (where asked), and that number with the earliest unread expiry.
 */
export type RangeRead = {
  range: SeqRange;
  seen: number;
  changes: Change[];
  counts: Counts;
  prefs: PreferencesDTO | undefined;
  current: number | undefined;
  nextExpiry: number | undefined;
};

export function rangeReads(ranges: SeqRange[], round: Round): RangeRead[] {
  const byUser = new Map<string, Change[]>();
  for (const c of round.changes) {
    const list = byUser.get(c.userId);
    if (list) list.push(c);
    else byUser.set(c.userId, [c]);
  }
  return ranges.map((range) => {
    const current = round.current.get(range.userId);
    const seen = Math.min(range.upTo, current ?? range.upTo);
    return {
      range,
      seen,
      changes: (byUser.get(range.userId) ?? []).filter((c) => c.seq <= seen),
      counts: round.counts.get(range.userId) ?? NO_COUNTS,
      prefs: round.preferences.has(range.userId) ? toPreferencesDTO(round.preferences.get(range.userId)!) : undefined,
      current,
      nextExpiry: round.nextExpiry.get(range.userId),
    };
  });
}
