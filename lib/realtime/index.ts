import "server-only";
import { env } from "@/lib/env";
import { Dispatcher } from "./dispatch/dispatcher";
import { tableReads } from "./dispatch/table-reads";
import { ChangeFeed } from "./feed/feed";
import { Hub } from "./stream/hub";
import { SessionWatcher } from "./stream/revocation";
import { SigningKeyWatcher } from "./stream/signing-keys";

/**
 * Live delivery, in three folders: feed/ hears committed changes, dispatch/ turns them into frames,
 * stream/ writes them to the open streams; protocol.ts, cursor.ts and frames.ts are shared. The life
 * of a stream:
 *
 *  1. A browser opens GET /api/notifications/stream (stream/node-sse.ts on the Node server, or the
 *     route handler fallback), authenticated by its session (stream/session.ts), perhaps with a
 *     Last-Event-ID.
 *  2. stream/stream.ts registers a StreamSubscriber (stream/subscriber.ts) with the hub
 *     (stream/hub.ts) BEFORE reading anything, so nothing committed from now on can miss it. Its
 *     bytes go to a Sink (stream/sinks.ts).
 *  3. A user's first stream on this process makes the dispatcher (dispatch/dispatcher.ts) read their
 *     current change number: the user's watermark. Everything up to it is in the tables; everything
 *     after it will be published to the registered subscriber.
 *  4. The resume cursor (cursor.ts) is checked against the watermark: stream/replay.ts writes what
 *     the client missed in pieces, each once the client took the previous one, or the stream answers
 *     `sync.reset`. Then `ready`, and the subscriber goes live, dropping what the replay covered.
 *  5. Meanwhile a writer commits a notification; its trigger numbers the change per user. The
 *     process's one change feed (feed/feed.ts) hears the committed transaction, whole: from the WAL
 *     over a logical replication connection (feed/replication.ts, feed/pgoutput.ts), or from a
 *     NOTIFY on its LISTEN connection (feed/notify.ts) where the database cannot replicate; both are
 *     a FeedTransport (feed/transport.ts). The dispatcher takes each announced user's range
 *     (watermark, number] from the rows the WAL carried where they are the whole story
 *     (dispatch/wal-rows.ts) and reads the others in one statement per round (dispatch/table-reads.ts),
 *     encodes each change once (frames.ts, in the vocabulary of protocol.ts) and publishes the
 *     frames to every stream of the user through the hub's one Publisher.
 *  6. The hub's single timer sends heartbeats and ends streams past their deadline; a client that
 *     stops reading is dropped; a revoked session ends its streams (stream/revocation.ts). The
 *     browser reconnects with its last event id, and the story starts again at 1, losing nothing.
 */
export type Realtime = { hub: Hub; dispatcher: Dispatcher; listener: ChangeFeed; sessions: SessionWatcher; signingKeys: SigningKeyWatcher };

// One hub and one change feed per process, on globalThis so dev hot reloads reuse them.
const g = globalThis as unknown as { __heraldRealtime?: Realtime };

/** The process's live-delivery pipeline, wired and started on first use. */
export function realtime(): Realtime {
  if (!g.__heraldRealtime) {
    const config = env();
    const hub: Hub = new Hub({
      maxStreamsPerUser: config.HERALD_MAX_STREAMS_PER_USER,
      heartbeatMs: config.HERALD_STREAM_HEARTBEAT_S * 1000,
      onFirstStream: (userId) => dispatcher.join(userId),
      onLastStream: (userId) => dispatcher.leave(userId),
    });
    const dispatcher = new Dispatcher(hub, tableReads);
    const sessions = new SessionWatcher(hub);
    const heartbeatMs = config.HERALD_LISTENER_HEARTBEAT_MS;
    const listener = new ChangeFeed(
      config.DATABASE_LISTEN_URL ?? config.DATABASE_URL,
      { heartbeatMs, heartbeatTimeoutMs: Math.min(5_000, heartbeatMs / 2), maxTransactionChanges: config.HERALD_FEED_MAX_TRANSACTION_CHANGES },
      { delivery: dispatcher, sessions },
      config.HERALD_REALTIME,
    );
    g.__heraldRealtime = { hub, dispatcher, listener, sessions, signingKeys: new SigningKeyWatcher() };
    listener.start();
  }
  return g.__heraldRealtime;
}
