// The part of PostgreSQL's streaming replication protocol that live delivery reads: CopyBoth
// messages of a logical slot with the `pgoutput` plugin, protocol version 1 (text values).
// https://www.postgresql.org/docs/current/protocol-replication.html
// https://www.postgresql.org/docs/current/protocol-logicalrep-message-formats.html
// Pure functions over Buffers, so they are tested without a server (tests/unit/pgoutput.test.ts).

/** One row change, values as PostgreSQL's text output (null for NULL or an unchanged TOASTed value). */
export type RowChange = {
  op: "insert" | "update" | "delete";
  table: string;
  /** The new row (insert, update) or what the old row's replica identity holds (delete). */
  row: Record<string, string | null>;
};

export type Relation = { schema: string; table: string; columns: string[] };

/** What one server message says, once decoded. */
export type ServerMessage =
  /**
   * `begins`: the id of the transaction this message opens (a Begin), whose changes follow;
   * `commits`: the message closes it (a Commit); `committedAt`: with a Begin, when the transaction
   * committed (Unix ms, the database's clock).
   */
  | { kind: "xlog"; walEnd: bigint; change: RowChange | null; begins: number | null; committedAt: number | null; commits: boolean }
  | { kind: "keepalive"; walEnd: bigint; replyRequested: boolean }
  | { kind: "other" };

/** PostgreSQL's epoch (2000-01-01) in Unix milliseconds. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/**
 * Decodes one CopyData payload from the server. `relations` is the connection's relation cache:
 * pgoutput sends a Relation message before the first change of each table (and again when it
 * changes), and changes refer to it by id.
 */
export function decodeServerMessage(buf: Buffer, relations: Map<number, Relation>): ServerMessage {
  const tag = buf[0];
  if (tag === 0x77 /* w: XLogData */) {
    const walEnd = buf.readBigUInt64BE(9);
    // Begin: 'B', the final LSN, the commit time, the transaction id.
    const begins = buf[25] === 0x42 ? buf.readUInt32BE(25 + 17) : null;
    const committedAt = begins === null ? null : PG_EPOCH_MS + Number(buf.readBigInt64BE(25 + 9) / 1000n);
    return { kind: "xlog", walEnd, change: decodeLogical(buf.subarray(25), relations), begins, committedAt, commits: buf[25] === 0x43 };
  }
  if (tag === 0x6b /* k: primary keepalive */) {
    return { kind: "keepalive", walEnd: buf.readBigUInt64BE(1), replyRequested: buf[17] === 1 };
  }
  return { kind: "other" };
}

/** A pgoutput message: Relation updates the cache; Insert, Update and Delete become a RowChange. */
export function decodeLogical(msg: Buffer, relations: Map<number, Relation>): RowChange | null {
  const tag = String.fromCharCode(msg[0]);
  if (tag === "R") {
    const id = msg.readUInt32BE(1);
    let at = 5;
    const schema = cstring(msg, at);
    at = schema.next;
    const table = cstring(msg, at);
    at = table.next + 1; // replica identity setting
    const count = msg.readUInt16BE(at);
    at += 2;
    const columns: string[] = [];
    for (let i = 0; i < count; i++) {
      at += 1; // flags (part of the key)
      const name = cstring(msg, at);
      columns.push(name.value);
      at = name.next + 8; // type oid, type modifier
    }
    relations.set(id, { schema: schema.value, table: table.value, columns });
    return null;
  }
  if (tag !== "I" && tag !== "U" && tag !== "D") return null; // Begin, Commit, Origin, Type, Truncate…
  const relation = relations.get(msg.readUInt32BE(1));
  if (!relation) throw new Error("pgoutput: a change for a relation that was never described");
  let at = 5;
  if (tag === "I") {
    // 'N' then the new tuple.
    return { op: "insert", table: relation.table, row: tuple(msg, at + 1, relation).row };
  }
  if (tag === "U") {
    // Optional 'K' (key) or 'O' (old row) tuple, then 'N' and the new tuple.
    if (msg[at] === 0x4b || msg[at] === 0x4f) at = tuple(msg, at + 1, relation).next;
    return { op: "update", table: relation.table, row: tuple(msg, at + 1, relation).row };
  }
  // 'K' or 'O', then the old tuple.
  return { op: "delete", table: relation.table, row: tuple(msg, at + 1, relation).row };
}

function cstring(buf: Buffer, at: number) {
  const end = buf.indexOf(0, at);
  return { value: buf.toString("utf8", at, end), next: end + 1 };
}

function tuple(buf: Buffer, at: number, relation: Relation) {
  const count = buf.readUInt16BE(at);
  at += 2;
  const row: Record<string, string | null> = {};
  for (let i = 0; i < count; i++) {
    const kind = buf[at++];
    const name = relation.columns[i] ?? `column${i}`;
    if (kind === 0x74 /* t: text */) {
      const length = buf.readUInt32BE(at);
      at += 4;
      row[name] = buf.toString("utf8", at, at + length);
      at += length;
    } else {
      row[name] = null; // n: NULL, u: an unchanged TOASTed value
    }
  }
  return { row, next: at };
}

/**
 * The standby status update that tells the server how far we have read, so the slot lets go of
 * older WAL: 'r', written, flushed and applied positions, the client's clock, and no reply asked.
 */
export function standbyStatus(lsn: bigint, now = Date.now()): Buffer {
  const buf = Buffer.alloc(34);
  buf[0] = 0x72;
  buf.writeBigUInt64BE(lsn, 1);
  buf.writeBigUInt64BE(lsn, 9);
  buf.writeBigUInt64BE(lsn, 17);
  buf.writeBigInt64BE(BigInt(now - PG_EPOCH_MS) * 1000n, 25);
  buf[33] = 0;
  return buf;
}

/** "16/B374D848" (how SQL shows an LSN) -> its 64-bit value. */
export function parseLsn(text: string): bigint {
  const [hi, lo] = text.split("/");
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}
