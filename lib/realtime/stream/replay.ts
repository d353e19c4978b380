import "server-only";
import { rawSql } from "@/db";
import { readReplayPieces, readRound, type Counts } from "@/db/queries/delivery";
import { env } from "@/lib/env";
import { metrics } from "@/lib/metrics";
import { toPreferencesDTO, type PreferencesDTO } from "@/lib/preferences/model";
import { CHANGE_LOG_KEEPS } from "../cursor";
import { NO_COUNTS, changeFrames, countFrame, quietReplay } from "../frames";
import type { StreamSubscriber } from "./subscriber";

/**
 * About how many bytes of frames one read of a replay produces. A stream holds at most one piece
 * (plus one notification bigger than a piece) while its client reads it: 20 stalled resumes of one
 * user cost a few MB, not 20 replays' worth. Well under MAX_BACKLOG_BYTES, so the piece in flight
 * never makes the first live round look like a client that stopped reading. 16 KB: 1,000 missed
 * notifications of a few hundred bytes are some forty short reads (about 100 ms), while clients
 * that stopped reading pull replays through the heap slowly enough that 20 of them cost ~40 MB
 * (tests/delivery-memory.test.ts); 64 KB pieces were faster but came close to that test's bound.
 */
export const REPLAY_PIECE_BYTES = 16 * 1024;

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
  const state: PieceState = { prefs: undefined, counts: NO_COUNTS, sent: 0 };
  const outcome = await replayPieces(sub, userId, from, to, state);
  const m = metrics();
  m.replays.inc({ outcome });
  if (outcome === "done") m.replayBytes.observe(state.sent);
  return outcome;
}

async function replayPieces(sub: StreamSubscriber, userId: string, from: number, to: number, state: PieceState): Promise<ReplayOutcome> {
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

  let after = from;
  for (const upTo of ends) {
    const outcome = await pieceSlots.run(() => writePiece(sub, { userId, after, upTo, quiet, maxBytes }, state));
    if (outcome) return outcome;
    // Only what was written is held while the client reads it: the piece's rows and frames were
    // local to writePiece and are garbage now, however long a stalled client takes.
    await sub.drained();
    if (sub.isClosed) return "closed";
    after = upTo;
  }
  sub.writeStartup([countFrame(state.counts)]);
  return "done";
}

/**
 * At most this many pieces are read and encoded at once in the process. A reconnect storm (a
 * restart, a proxy dropping every stream) or many clients that stopped reading would otherwise
 * pull replays through the heap as fast as the database answers, and the heap grows with the rate,
 * not with what is held. Pieces are short (a query and an encode), so the queue moves quickly.
 */
const CONCURRENT_PIECES = 4;

class Slots {
  private free: number;
  private waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
const pieceSlots = new Slots(CONCURRENT_PIECES);

type PieceState = { prefs: PreferencesDTO | undefined; counts: Counts; sent: number };

/** Reads, encodes and writes one piece; returns why the replay must stop, or null to go on. */
async function writePiece(
  sub: StreamSubscriber,
  p: { userId: string; after: number; upTo: number; quiet: boolean; maxBytes: number },
  state: PieceState,
): Promise<ReplayOutcome | null> {
  const round = await readRound(rawSql(), [{ userId: p.userId, after: p.after, upTo: p.upTo, withPreferences: state.prefs === undefined }]);
  if (sub.isClosed) return "closed";
  // The change log keeps the last CHANGE_LOG_KEEPS numbers: if the user's number moved that far
  // past this piece while the client was reading, some of its changes may be pruned already.
  if ((round.current.get(p.userId) ?? 0) - CHANGE_LOG_KEEPS > p.after) return "too-old";
  state.prefs ??= toPreferencesDTO(round.preferences.get(p.userId) ?? null);
  const frames = changeFrames(round.changes, state.prefs, { quiet: p.quiet });
  for (const f of frames) state.sent += f.bytes.byteLength;
  // The estimate was short (JSON escapes): still bounded, still no gap.
  if (state.sent > p.maxBytes) return "too-large";
  sub.writeStartup(frames);
  state.counts = round.counts.get(p.userId) ?? NO_COUNTS;
  return null;
}
