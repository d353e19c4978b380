import { beforeAll, describe, expect, it } from "vitest";
import type { Change } from "@/db/queries/delivery";
import type { NotificationRow } from "@/db/queries/notifications";
import { toPreferencesDTO } from "@/lib/preferences/model";

beforeAll(() => {
  process.env.AUTH_SECRET ??= "unit-test-secret-0123456789abcdef";
  process.env.DATABASE_URL ??= "postgres://unit@127.0.0.1:1/unit";
});

const USER = "6f1c1d1e-0000-4000-8000-000000000001";
const decoder = new TextDecoder();

/** Parses SSE frames back into {id, event, data}, as an EventSource would. */
function parse(bytes: Uint8Array) {
  const text = decoder.decode(bytes);
  expect(text.endsWith("\n\n")).toBe(true);
  const fields: Record<string, string> = {};
  for (const line of text.trimEnd().split("\n")) {
    const at = line.indexOf(": ");
    fields[line.slice(0, at)] = line.slice(at + 2);
  }
  return { id: fields.id, event: fields.event, data: JSON.parse(fields.data) };
}

function row(over: Partial<NotificationRow> = {}): NotificationRow {
  return {
    id: 1,
    userId: USER,
    seq: 1,
    category: "report",
    priority: "normal",
    title: "Title",
    body: "Body",
    actionUrl: null,
    actionLabel: null,
    sourceTokenId: null,
    subjectType: null,
    subjectId: null,
    metadata: {},
    createdAt: new Date("2026-01-01T12:00:00Z"),
    readAt: null,
    archivedAt: null,
    expiresAt: null,
    actorId: null,
    actorName: null,
    ...over,
  } as NotificationRow;
}

describe("SSE frames", async () => {
  const { sseFrame, changeFrames, countFrame, quietReplay } = await import("@/lib/realtime/frames");
  const { decodeCursor } = await import("@/lib/realtime/cursor");
  const prefs = toPreferencesDTO(null);
  const created = (seq: number, over: Partial<NotificationRow> = {}): Change => ({ kind: "created", userId: USER, seq, row: row({ id: seq, seq, ...over }) });

  it("encodes one event as id, event and one data line", () => {
    const f = parse(sseFrame("ready", { at: "x" }, "3.abc"));
    expect(f).toEqual({ id: "3.abc", event: "ready", data: { at: "x" } });
  });

  it("keeps a body with new lines on one data line", () => {
    const bytes = sseFrame("notification.created", { body: "a\nb\r\nc" } as never);
    expect(decoder.decode(bytes).split("\n").filter((l) => l.startsWith("data: "))).toHaveLength(1);
    expect(parse(bytes).data.body).toBe("a\nb\r\nc");
  });

  it("numbers each change with a cursor for its own seq", () => {
    const frames = changeFrames([created(4), created(5)], prefs, { quiet: false });
    expect(frames.map((f) => f.seq)).toEqual([4, 5]);
    for (const f of frames) expect(decodeCursor(USER, parse(f.bytes).id)).toBe(f.seq);
  });

  it("sends the server's delivery decision with a new notification", () => {
    const [f] = changeFrames([created(1, { priority: "urgent" })], prefs, { quiet: false });
    const { event, data } = parse(f.bytes);
    expect(event).toBe("notification.created");
    expect(data.delivery).toEqual({ inApp: true, toast: true, browser: false, sound: true });
    expect(data.id).toBe("1");
  });

  it("a replay of up to three new notifications still toasts; more land quietly", () => {
    expect([0, 1, 3].map(quietReplay)).toEqual([false, false, false]);
    expect([4, 5000].map(quietReplay)).toEqual([true, true]);
    const loud = changeFrames([created(1), created(2), created(3)], prefs, { quiet: false });
    expect(loud.every((f) => parse(f.bytes).data.delivery.toast)).toBe(true);
    const quiet = changeFrames([created(1), created(2), created(3), created(4)], prefs, { quiet: true });
    expect(quiet.some((f) => parse(f.bytes).data.delivery.toast)).toBe(false);
  });

  it("does not announce one already read or archived", () => {
    const frames = changeFrames([created(1, { readAt: new Date() }), created(2, { archivedAt: new Date() })], prefs, { quiet: false });
    for (const f of frames) expect(parse(f.bytes).data.delivery.toast).toBe(false);
  });

  it("skips expired notifications", () => {
    expect(changeFrames([created(1, { expiresAt: new Date(Date.now() - 1000) })], prefs, { quiet: false })).toEqual([]);
  });

  it("maps updates and deletes to single or bulk events", () => {
    const frames = changeFrames(
      [
        { kind: "update", userId: USER, seq: 6, ids: ["1"], row: row({ readAt: new Date() }) },
        { kind: "delete", userId: USER, seq: 7, ids: ["2"], row: null },
        { kind: "update", userId: USER, seq: 8, ids: ["3", "4"], row: null },
        { kind: "delete", userId: USER, seq: 9, ids: ["5", "6"], row: null },
        { kind: "update", userId: USER, seq: 10, ids: ["7"], row: null },
      ],
      prefs,
      { quiet: false },
    );
    expect(frames.map((f) => [f.seq, parse(f.bytes).event])).toEqual([
      [6, "notification.updated"],
      [7, "notification.deleted"],
      [8, "notifications.updated"],
      [9, "notifications.deleted"],
    ]);
    expect(parse(frames[1].bytes).data).toEqual({ id: "2" });
    expect(parse(frames[2].bytes).data).toEqual({ ids: ["3", "4"] });
  });

  it("sends the count unnumbered", () => {
    const f = countFrame({ unreadCount: 12, unseenCount: 3 });
    expect(f.seq).toBe(0);
    expect(parse(f.bytes)).toEqual({ id: undefined, event: "notifications.count", data: { unreadCount: 12, unseenCount: 3 } });
  });
});
