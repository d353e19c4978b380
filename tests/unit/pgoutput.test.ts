import { describe, expect, it } from "vitest";
import { decodeServerMessage, parseLsn, standbyStatus, type Relation } from "@/lib/realtime/feed/pgoutput";

// Messages built byte by byte from the protocol documentation, as a pgoutput slot sends them.
const cstr = (s: string) => Buffer.concat([Buffer.from(s, "utf8"), Buffer.from([0])]);
const u8 = (n: number) => Buffer.from([n]);
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};
const xlog = (walEnd: bigint, msg: Buffer) => Buffer.concat([Buffer.from("w"), u64(walEnd - 10n), u64(walEnd), u64(0n), msg]);
const relation = (id: number, table: string, columns: string[]) =>
  Buffer.concat([Buffer.from("R"), u32(id), cstr("public"), cstr(table), u8(0x64), u16(columns.length), ...columns.flatMap((c) => [u8(0), cstr(c), u32(25), u32(0xffffffff)])]);
const tuple = (values: (string | null)[]) =>
  Buffer.concat([u16(values.length), ...values.map((v) => (v === null ? u8(0x6e) : Buffer.concat([u8(0x74), u32(Buffer.byteLength(v)), Buffer.from(v)])))]);

describe("pgoutput decoding", () => {
  it("reads relations, then inserts, updates (with and without the old row) and deletes by column name", () => {
    const relations = new Map<number, Relation>();
    expect(decodeServerMessage(xlog(100n, relation(7, "notification_changes", ["user_id", "seq", "op"])), relations)).toEqual({ kind: "xlog", walEnd: 100n, change: null, begins: null, committedAt: null, commits: false });
    expect(relations.get(7)).toEqual({ schema: "public", table: "notification_changes", columns: ["user_id", "seq", "op"] });

    const insert = Buffer.concat([Buffer.from("I"), u32(7), Buffer.from("N"), tuple(["u-1", "42", "update"])]);
    expect(decodeServerMessage(xlog(200n, insert), relations)).toEqual({
      kind: "xlog",
      walEnd: 200n,
      change: { op: "insert", table: "notification_changes", row: { user_id: "u-1", seq: "42", op: "update" } },
      begins: null,
      committedAt: null,
      commits: false,
    });

    decodeServerMessage(xlog(300n, relation(9, "sessions", ["id", "user_id", "revoked_at"])), relations);
    const update = Buffer.concat([Buffer.from("U"), u32(9), Buffer.from("O"), tuple(["s-1", "u-2", null]), Buffer.from("N"), tuple(["s-1", "u-2", "2026-12-02 10:00:00+00"])]);
    expect(decodeServerMessage(xlog(400n, update), relations)).toMatchObject({ change: { op: "update", row: { id: "s-1", user_id: "u-2", revoked_at: "2026-12-02 10:00:00+00" } } });
    const plainUpdate = Buffer.concat([Buffer.from("U"), u32(9), Buffer.from("N"), tuple(["s-2", "u-3", null])]);
    expect(decodeServerMessage(xlog(450n, plainUpdate), relations)).toMatchObject({ change: { op: "update", row: { id: "s-2", revoked_at: null } } });
    const del = Buffer.concat([Buffer.from("D"), u32(9), Buffer.from("O"), tuple(["s-1", "u-2", null])]);
    expect(decodeServerMessage(xlog(500n, del), relations)).toMatchObject({ change: { op: "delete", table: "sessions", row: { user_id: "u-2" } } });
    // Begin and Commit carry no row; a Begin names its transaction and when it committed.
    const committed = Date.UTC(2026, 11, 7, 12, 0, 0, 250);
    const begin = Buffer.concat([Buffer.from("B"), u64(0x5000n), u64(BigInt(committed - Date.UTC(2000, 0, 1)) * 1000n + 999n), u32(0xfffffff0)]);
    expect(decodeServerMessage(xlog(600n, begin), relations)).toMatchObject({ change: null, begins: 0xfffffff0, committedAt: committed, commits: false });
    expect(decodeServerMessage(xlog(700n, Buffer.concat([Buffer.from("C"), Buffer.alloc(25)])), relations)).toMatchObject({ change: null, begins: null, commits: true });
  });

  it("refuses a change for a relation it was never told about, rather than guessing its columns", () => {
    const insert = Buffer.concat([Buffer.from("I"), u32(99), Buffer.from("N"), tuple(["x"])]);
    expect(() => decodeServerMessage(xlog(100n, insert), new Map())).toThrow(/never described/);
  });

  it("reads keepalives and answers with a status update at the position read", () => {
    const keepalive = Buffer.concat([Buffer.from("k"), u64(0x1_0000_0020n), u64(0n), u8(1)]);
    expect(decodeServerMessage(keepalive, new Map())).toEqual({ kind: "keepalive", walEnd: 0x1_0000_0020n, replyRequested: true });
    const status = standbyStatus(parseLsn("1/20"), Date.UTC(2000, 0, 1) + 1500);
    expect(status.length).toBe(34);
    expect(String.fromCharCode(status[0])).toBe("r");
    expect(status.readBigUInt64BE(1)).toBe(0x1_0000_0020n);
    expect(status.readBigUInt64BE(9)).toBe(0x1_0000_0020n);
    expect(status.readBigInt64BE(25)).toBe(1_500_000n);
    expect(status[33]).toBe(0);
  });
});
