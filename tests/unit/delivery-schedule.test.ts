import { describe, expect, it } from "vitest";
import { emailDueAt, nextLocalHour, nextLocalTime, quietUntil, retryDelayMs } from "@/lib/delivery/schedule";
import { toPreferencesDTO } from "@/lib/preferences/model";

const at = (iso: string) => new Date(iso);
const plan = { priority: "normal" as const, timeZone: "UTC", delaySeconds: 300, digestHour: 8 };

describe("email due times", () => {
  it("waits the delay for instant email and nothing for urgent ones", () => {
    const createdAt = at("2026-03-01T10:00:00Z");
    expect(emailDueAt({ ...plan, createdAt, digest: "instant" }).toISOString()).toBe("2026-03-01T10:05:00.000Z");
    expect(emailDueAt({ ...plan, createdAt, digest: "daily", priority: "urgent" })).toEqual(createdAt);
  });

  it("sends hourly digests at the next full hour of the user's clock", () => {
    const createdAt = at("2026-03-01T10:20:00Z");
    expect(emailDueAt({ ...plan, createdAt, digest: "hourly" }).toISOString()).toBe("2026-03-01T11:00:00.000Z");
    // India is UTC+5:30: its full hours fall on :30 UTC.
    expect(nextLocalHour(createdAt, "Asia/Kolkata").toISOString()).toBe("2026-03-01T10:30:00.000Z");
  });

  it("sends daily digests at the digest hour in the user's zone, tomorrow when today's has passed", () => {
    expect(emailDueAt({ ...plan, createdAt: at("2026-03-01T06:00:00Z"), digest: "daily" }).toISOString()).toBe("2026-03-01T08:00:00.000Z");
    expect(emailDueAt({ ...plan, createdAt: at("2026-03-01T09:00:00Z"), digest: "daily" }).toISOString()).toBe("2026-03-02T08:00:00.000Z");
    // 08:00 in New York (UTC-5 in winter).
    expect(emailDueAt({ ...plan, timeZone: "America/New_York", createdAt: at("2026-03-01T09:00:00Z"), digest: "daily" }).toISOString()).toBe(
      "2026-03-01T13:00:00.000Z",
    );
  });

  it("keeps local wall time across a DST change", () => {
    // Europe/Paris moves to UTC+2 on 2026-03-29: 09:00 local is 07:00 UTC that day, 08:00 UTC the day before.
    expect(nextLocalTime(at("2026-03-28T09:00:00Z"), "Europe/Paris", 9 * 60).toISOString()).toBe("2026-03-29T07:00:00.000Z");
    expect(nextLocalTime(at("2026-03-27T12:00:00Z"), "Europe/Paris", 9 * 60).toISOString()).toBe("2026-03-28T08:00:00.000Z");
  });
});

describe("quiet hours", () => {
  const prefs = toPreferencesDTO({
    userId: "u",
    categories: {},
    soundEnabled: true,
    browserEnabled: false,
    emailDigest: "instant",
    quietHoursEnabled: true,
    quietStartMinute: 22 * 60,
    quietEndMinute: 7 * 60,
    timeZone: "Europe/Paris",
    updatedAt: new Date(0),
  });

  it("holds non-urgent sends until the window ends in the user's zone", () => {
    // 23:30 in Paris (UTC+1 in winter): quiet until 07:00 local = 06:00 UTC.
    expect(quietUntil(prefs, "high", at("2026-01-10T22:30:00Z"))?.toISOString()).toBe("2026-01-11T06:00:00.000Z");
    expect(quietUntil(prefs, "urgent", at("2026-01-10T22:30:00Z"))).toBeNull();
    expect(quietUntil(prefs, "normal", at("2026-01-10T12:00:00Z"))).toBeNull();
  });
});

describe("retry backoff", () => {
  it("doubles from the base delay", () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 30))).toEqual([30_000, 60_000, 120_000, 240_000]);
  });
});
