/** A new notification as the WAL carries it: column name -> PostgreSQL's text output (null for NULL). */
export type WalRow = Record<string, string | null>;

/** A user's counter row as the WAL carries it, after the change numbered `seq`. */
export type WalCounts = { seq: number; unread: number; unseen: number };

/** One committed change the feed heard, in the terms delivery needs. */
export type FeedChange =
  /** "User U has changes up to `seq`" (`op` insert, update, delete...); `row`: the new notification, where the WAL carries it. */
  | { kind: "numbered"; userId: string; seq: number; op: string; row?: WalRow }
  | { kind: "counts"; userId: string; counts: WalCounts }
  | { kind: "preferences"; userId: string }
  /** A session of the user was revoked or deleted; `sessionId` where the feed says which. */
  | { kind: "session"; userId: string; sessionId?: string };

/**
 * One committed transaction, handed over whole. `xid`: its id where the feed knows it (the WAL),
 * null for a NOTIFY; `committedAt`: when it committed (the database's clock) or was heard (Unix ms).
 * `changes` null: too big to keep (see TransactionCollector); what it changed is in the tables.
 */
export type FeedTransaction = { xid: number | null; committedAt: number; changes: FeedChange[] | null };

/**
 * The row text kept of one transaction: past it, new rows are kept without their text (delivery
 * reads them from the tables). A 10,000-user broadcast (20,000 changes, some 12 MB) stays whole.
 */
const MAX_ROW_BYTES = 32 * 1024 * 1024;

/** About what a row's text holds in memory (two bytes a character), plus a fixed part for the rest. */
export function rowBytes(raw: WalRow) {
  let chars = 0;
  for (const value of Object.values(raw)) chars += value?.length ?? 0;
  return 2 * chars + 512;
}

/** A row without its text: what delivery needs to know about its expiry, and that it must read the rest. */
function thin({ expires_at, read_at, archived_at }: WalRow): WalRow {
  return { expires_at, read_at, archived_at };
}

/**
 * Builds each transaction from its Begin to its Commit (pgoutput sends one at a time, in commit
 * order), so what leaves the feed is always a whole committed transaction: delivery never sees half
 * of one, and a connection lost in the middle simply drops the half it had (the catch-up after the
 * reconnect reads it from the tables). Past `maxChanges` (HERALD_FEED_MAX_TRANSACTION_CHANGES) the
 * transaction is handed over as too big, holding none of its changes (every connected user is then
 * caught up from the tables), so a statement that writes millions of rows costs no more memory.
 */
export class TransactionCollector {
  private open: { xid: number; committedAt: number; changes: FeedChange[] | null; rowBytes: number } | null = null;

  constructor(private readonly maxChanges: number) {}

  begin(xid: number, committedAt: number) {
    this.open = { xid, committedAt, changes: [], rowBytes: 0 };
  }

  add(change: FeedChange) {
    const tx = this.open;
    if (!tx?.changes) return;
    if (tx.changes.length >= this.maxChanges) {
      tx.changes = null;
      return;
    }
    if (change.kind === "numbered" && change.row) {
      const bytes = rowBytes(change.row);
      if (tx.rowBytes + bytes > MAX_ROW_BYTES) change = { ...change, row: thin(change.row) };
      else tx.rowBytes += bytes;
    }
    tx.changes.push(change);
  }

  /** The transaction, whole (or marked too big); null if its Begin was not received on this connection. */
  commit(): FeedTransaction | null {
    const tx = this.open;
    this.open = null;
    return tx && { xid: tx.xid, committedAt: tx.committedAt, changes: tx.changes };
  }

  /** The connection was lost: what arrived of the open transaction is not whole. */
  reset() {
    this.open = null;
  }
}
