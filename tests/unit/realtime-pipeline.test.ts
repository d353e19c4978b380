import { describe, expect, it } from "vitest";
import { CoalescingLoop } from "@/lib/realtime/coalescing-loop";
import type { Frame } from "@/lib/realtime/frames";
import { Hub, type Subscriber } from "@/lib/realtime/stream/hub";
import { isNumbered, parseCursor, STREAM_EVENT_NAMES } from "@/lib/realtime/protocol";
import { AppError, ERROR_STATUS } from "@/lib/errors";

const tick = () => new Promise((r) => setImmediate(r));

/** A stream as the hub sees it; closing one leaves the hub, as a real stream does. */
function subscriber(userId: string, into: Frame[][], hub?: Hub): Subscriber & { closedWith: string[] } {
  const closedWith: string[] = [];
  const sub: Subscriber & { closedWith: string[] } = {
    userId,
    deadline: Infinity,
    deliver: (f) => void into.push(f),
    heartbeat() {},
    close: (reason) => {
      closedWith.push(reason ?? "");
      hub?.unsubscribe(sub);
    },
    closedWith,
  };
  return sub;
}

describe("the coalescing loop", () => {
  it("runs once for every kick of one tick, and again while work is pending", async () => {
    let pending = 0;
    const runs: number[] = [];
    const loop = new CoalescingLoop({ pending: () => pending > 0, run: async () => void runs.push(pending--), failed() {} });
    pending = 2;
    loop.kick();
    loop.kick();
    loop.kick();
    await tick();
    await tick();
    await tick();
    expect(runs).toEqual([2, 1]);
  });

  it("retries a failed run after a backoff, reporting the failure", async () => {
    let left = 1;
    let attempts = 0;
    const failures: unknown[] = [];
    const loop = new CoalescingLoop({
      pending: () => left > 0,
      run: async () => {
        if (attempts++ === 0) throw new Error("database restarting");
        left = 0;
      },
      failed: (err) => failures.push(err),
    });
    loop.kick();
    await new Promise((r) => setTimeout(r, 200));
    expect(attempts).toBe(2);
    expect(failures).toHaveLength(1);
  });
});

describe("the hub", () => {
  it("hands out its one publisher once, and only it moves a watermark, forward only", async () => {
    const joined: string[] = [];
    const hub = new Hub({ maxStreamsPerUser: 20, heartbeatMs: 15_000, onFirstStream: (u) => joined.push(u) });
    const publisher = hub.publisher();
    expect(() => hub.publisher()).toThrow(/already taken/);
    const got: Frame[][] = [];
    hub.subscribe(subscriber("u1", got));
    hub.subscribe(subscriber("u1", got));
    expect(joined).toEqual(["u1"]);
    const ready = hub.joined("u1");
    publisher.initWatermark("u1", 5);
    await expect(ready).resolves.toBe(5);
    publisher.publish("u1", [{ seq: 6, bytes: new Uint8Array(1) }], 6);
    expect(got).toHaveLength(2);
    publisher.publish("u1", [], 3);
    expect(hub.watermark("u1")).toBe(6);
  });

  it("closes a user's oldest stream beyond the limit, saying why", () => {
    const hub = new Hub({ maxStreamsPerUser: 2, heartbeatMs: 15_000, onFirstStream() {} });
    const subs = [0, 1, 2].map(() => subscriber("u1", [], hub));
    for (const s of subs) hub.subscribe(s);
    expect(subs.map((s) => s.closedWith)).toEqual([["too-many-streams"], [], []]);
    expect(hub.size).toBe(2);
  });
});

describe("the stream protocol", () => {
  it("numbers change events and positions, not counts or closes", () => {
    expect(STREAM_EVENT_NAMES.filter((n) => !isNumbered(n)).sort()).toEqual(["notifications.count", "stream.closed"]);
  });

  it("reads the number out of a cursor and refuses anything else", () => {
    expect(parseCursor("42.abcdefghijklmnop")).toEqual({ seq: 42, mac: "abcdefghijklmnop" });
    for (const bad of ["", "42", "042.abcdefghijklmnop", "42.short", "-1.abcdefghijklmnop", "99999999999999999.abcdefghijklmnop"]) {
      expect(parseCursor(bad), bad).toBeNull();
    }
  });
});

describe("errors", () => {
  it("derive their status from their code", () => {
    expect(new AppError("not_found", "x").status).toBe(404);
    expect(new AppError("rate_limited", "x", { headers: { "Retry-After": "3" } })).toMatchObject({ status: 429, headers: { "Retry-After": "3" } });
    for (const [code, status] of Object.entries(ERROR_STATUS)) expect(status, code).toBeGreaterThanOrEqual(400);
  });
});
