import "server-only";
import { rawSql } from "@/db";
import { readReplayPieces, readRound } from "@/db/queries/delivery";
import { env } from "@/lib/env";
import { toPreferencesDTO, type PreferencesDTO } from "@/lib/preferences/model";
import { CHANGE_LOG_KEEPS } from "./cursor";
import { changeFrames, countFrame, quietReplay } from "./frames";
import type { StreamSubscriber } from "./subscriber";

/**
 * About how many bytes of frames one read of a replay produces. A stream holds at most one piece
 * (plus one notification bigger than a piece) while its client reads it: 20 stalled resumes of one
 * user cost a few MB, not 20 replays' worth. Well under MAX_BACKLOG_BYTES, so the piece in flight
 * never makes the first live round look like a client that stopped reading. 64 KB: 1,000 missed
 * notifications of a few hundred bytes are a dozen reads (tens of ms), while each piece in flight,
 * with the rows and DTOs it is built from, stays small enough that 20 stalled resumes cost ~30 MB.
 */
export const REPLAY_PIECE_BYTES = 64 * 1024;

/** How a replay ended: in full, with nothing (the stream went away), or with a reason to refetch. */
export type ReplayOutcome = "done" | "closed" | "too-large" | "too-old";

/**
 * Writes the changes from < seq <= to (`to` is the watermark: the stream is registered, so anything
 * after it reaches it live) to one stream, one piece at a time: each piece is read only once the
 * client has taken the previous one. Ends with the unread count. Never a gap: a replay that cannot
 * finish ("too-large", "too-old") returns its reason, the caller sends sync.reset with the cursor of
 * `to`, and the client refetches everything.
 */
export async function replay(sub: StreamSubscriber, userId: string, from: number, to: number): Promise<ReplayOutcome> {
  const maxBytes = env().HERALD_MAX_REPLAY_BYTES;
  const sql = rawSql();
  const pieces = await readReplayPieces(sql, { userId, after: from, upTo: to, pieceBytes: REPLAY_PIECE_BYTES });
  if (sub.isClosed) return "closed";
  // Known before a row is read: a resume bigger than a refetch is worth is answered by one.
  if (pieces.reduce((sum, p) => sum + p.bytes, 0) > maxBytes) return "too-large";
  const quiet = quietReplay(pieces.reduce((sum, p) => sum + p.created, 0));
  // Numbers with no row left (deleted notifications) may follow the last piece: read up to `to`.
  const ends = pieces.map((p) => p.upTo);
  if (ends.length === 0 || ends[ends.length - 1] < to) ends.push(to);

  let prefs: PreferencesDTO | undefined;
  let unread = 0;
  let sent = 0;
  let after = from;
  for (const upTo of ends) {
    const round = await readRound(sql, [{ userId, after, upTo, withPreferences: prefs === undefined }]);
    if (sub.isClosed) return "closed";
    // The change log keeps the last CHANGE_LOG_KEEPS numbers: if the user's number moved that far
    // past this piece while the client was reading, some of its changes may be pruned already.
    if ((round.current.get(userId) ?? 0) - CHANGE_LOG_KEEPS > after) return "too-old";
    prefs ??= toPreferencesDTO(round.preferences.get(userId) ?? null);
    const frames = changeFrames(round.changes, prefs, { quiet });
    for (const f of frames) sent += f.bytes.byteLength;
    // The estimate was short (JSON escapes): still bounded, still no gap.
    if (sent > maxBytes) return "too-large";
    sub.writeStartup(frames);
    unread = round.unread.get(userId) ?? 0;
    await sub.drained();
    if (sub.isClosed) return "closed";
    after = upTo;
  }
  sub.writeStartup([countFrame(unread)]);
  return "done";
}
