import { describe, expect, it } from "vitest";
import type { UserPreferences } from "@/db/schema";
import { NOTIFICATION_CATEGORIES } from "@/lib/notifications/constants";
import { DEFAULT_CATEGORY, deliveryFor, inQuietHours, toMinute, toPreferencesDTO, type PreferencesDTO } from "@/lib/preferences/model";

const row = (over: Partial<UserPreferences>): UserPreferences => ({
  userId: "u",
  categories: {},
  soundEnabled: true,
  browserEnabled: false,
  quietHoursEnabled: false,
  quietStartMinute: 22 * 60,
  quietEndMinute: 7 * 60,
  timeZone: "UTC",
  emailDigest: "instant",
  updatedAt: new Date(0),
  ...over,
});

const quiet = (start: string, end: string, timeZone = "UTC"): PreferencesDTO => ({
  ...toPreferencesDTO(null),
  quietHours: { enabled: true, start, end, timeZone },
});

describe("preferences model", () => {
  it("fills every category with the defaults when nothing is saved", () => {
    const dto = toPreferencesDTO(null);
    expect(Object.keys(dto.categories).sort()).toEqual([...NOTIFICATION_CATEGORIES].sort());
    for (const c of NOTIFICATION_CATEGORIES) expect(dto.categories[c]).toEqual(DEFAULT_CATEGORY);
    expect(dto).toMatchObject({ soundEnabled: true, browserEnabled: false, quietHours: { enabled: false, start: "22:00", end: "07:00", timeZone: "UTC" } });
  });

  it("merges a partial saved category over the defaults", () => {
    const dto = toPreferencesDTO(row({ categories: { report: { muted: true } } }));
    expect(dto.categories.report).toEqual({ ...DEFAULT_CATEGORY, muted: true });
    expect(dto.categories.message).toEqual(DEFAULT_CATEGORY);
  });

  it("formats stored minutes as HH:MM and back", () => {
    const dto = toPreferencesDTO(row({ quietStartMinute: 5, quietEndMinute: 23 * 60 + 59 }));
    expect(dto.quietHours.start).toBe("00:05");
    expect(dto.quietHours.end).toBe("23:59");
    expect(toMinute("00:05")).toBe(5);
    expect(toMinute("23:59")).toBe(1439);
  });

  it.each([
    ["22:00", "07:00", "2026-01-01T23:30:00Z", true],
    ["22:00", "07:00", "2026-01-01T03:00:00Z", true],
    ["22:00", "07:00", "2026-01-01T07:00:00Z", false],
    ["22:00", "07:00", "2026-01-01T21:59:00Z", false],
    ["22:00", "07:00", "2026-01-01T22:00:00Z", true],
    ["09:00", "17:00", "2026-01-01T12:00:00Z", true],
    ["09:00", "17:00", "2026-01-01T17:00:00Z", false],
    ["09:00", "17:00", "2026-01-01T08:59:00Z", false],
    ["10:00", "10:00", "2026-01-01T10:00:00Z", false],
  ])("quiet %s-%s at %s is %s (UTC)", (start, end, at, expected) => {
    expect(inQuietHours(quiet(start, end), new Date(at))).toBe(expected);
  });

  it("reads quiet hours in the user's time zone", () => {
    // 23:30 UTC is 08:30 the next day in Tokyo (UTC+9) and 18:30 in New York (UTC-5 in January).
    const at = new Date("2026-01-01T23:30:00Z");
    expect(inQuietHours(quiet("22:00", "07:00", "Asia/Tokyo"), at)).toBe(false);
    expect(inQuietHours(quiet("08:00", "09:00", "Asia/Tokyo"), at)).toBe(true);
    expect(inQuietHours(quiet("18:00", "19:00", "America/New_York"), at)).toBe(true);
  });

  it("is never quiet when quiet hours are off", () => {
    const prefs = { ...quiet("00:00", "23:59"), quietHours: { ...quiet("00:00", "23:59").quietHours, enabled: false } };
    expect(inQuietHours(prefs, new Date("2026-01-01T12:00:00Z"))).toBe(false);
  });
});

describe("delivery decisions", () => {
  const noon = new Date("2026-01-01T12:00:00Z");
  const base = toPreferencesDTO(null);
  const withCategory = (over: Partial<typeof DEFAULT_CATEGORY>, top: Partial<PreferencesDTO> = {}): PreferencesDTO => ({
    ...base,
    ...top,
    categories: { ...base.categories, report: { ...DEFAULT_CATEGORY, ...over } },
  });

  it.each([
    ["low", { inApp: true, toast: true, browser: false, sound: false }],
    ["normal", { inApp: true, toast: true, browser: false, sound: false }],
    ["high", { inApp: true, toast: true, browser: false, sound: false }],
    ["urgent", { inApp: true, toast: true, browser: false, sound: true }],
  ] as const)("defaults for a %s notification", (priority, expected) => {
    expect(deliveryFor(base, { category: "report", priority }, noon)).toEqual(expected);
  });

  it.each([
    ["high", true],
    ["urgent", true],
    ["normal", false],
    ["low", false],
  ] as const)("browser alerts, once allowed, only for high and urgent (%s: %s)", (priority, browser) => {
    expect(deliveryFor({ ...base, browserEnabled: true }, { category: "report", priority }, noon).browser).toBe(browser);
  });

  it("a muted category stays in the inbox but is silent", () => {
    expect(deliveryFor(withCategory({ muted: true }, { browserEnabled: true }), { category: "report", priority: "urgent" }, noon)).toEqual({
      inApp: true,
      toast: false,
      browser: false,
      sound: false,
    });
  });

  it("quiet hours silence toasts, sound and browser alerts", () => {
    const prefs = { ...quiet("11:00", "13:00"), browserEnabled: true };
    expect(deliveryFor(prefs, { category: "report", priority: "urgent" }, noon)).toEqual({ inApp: true, toast: false, browser: false, sound: false });
  });

  it("each switch turns only its own channel off", () => {
    const urgent = { category: "report", priority: "urgent" } as const;
    const on = { browserEnabled: true };
    expect(deliveryFor(withCategory({ toast: false }, on), urgent, noon)).toEqual({ inApp: true, toast: false, browser: true, sound: true });
    expect(deliveryFor(withCategory({ browser: false }, on), urgent, noon)).toEqual({ inApp: true, toast: true, browser: false, sound: true });
    expect(deliveryFor(withCategory({ sound: false }, on), urgent, noon)).toEqual({ inApp: true, toast: true, browser: true, sound: false });
    expect(deliveryFor(withCategory({}, { ...on, soundEnabled: false }), urgent, noon).sound).toBe(false);
  });

  it("in-app off silences everything live", () => {
    expect(deliveryFor(withCategory({ inApp: false }, { browserEnabled: true }), { category: "report", priority: "urgent" }, noon)).toEqual({
      inApp: false,
      toast: false,
      browser: false,
      sound: false,
    });
  });
});
