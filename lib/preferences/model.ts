import type { CategoryPreference, EmailDigest, NotificationCategory, NotificationPriority, UserPreferences } from "@/db/schema";
import { NOTIFICATION_CATEGORIES } from "@/lib/notifications/constants";

export type PreferencesDTO = {
  categories: Record<NotificationCategory, CategoryPreference>;
  soundEnabled: boolean;
  browserEnabled: boolean;
  emailDigest: EmailDigest;
  quietHours: { enabled: boolean; start: string; end: string; timeZone: string };
};

/** Also written into the delivery trigger (db/migrations/0009): email off, push on, not muted. */
export const DEFAULT_CATEGORY: CategoryPreference = {
  inApp: true,
  toast: true,
  browser: true,
  sound: true,
  email: false,
  push: true,
  muted: false,
};

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
export const toMinute = (value: string) => {
  const [h, m] = value.split(":").map(Number);
  return h * 60 + m;
};

/** Stored row (or none yet) -> the full settings with every default filled in. */
export function toPreferencesDTO(row: UserPreferences | null): PreferencesDTO {
  const categories = Object.fromEntries(
    NOTIFICATION_CATEGORIES.map((c) => [c, { ...DEFAULT_CATEGORY, ...(row?.categories?.[c] ?? {}) }]),
  ) as PreferencesDTO["categories"];
  return {
    categories,
    soundEnabled: row?.soundEnabled ?? true,
    browserEnabled: row?.browserEnabled ?? false,
    emailDigest: row?.emailDigest ?? "instant",
    quietHours: {
      enabled: row?.quietHoursEnabled ?? false,
      start: hhmm(row?.quietStartMinute ?? 22 * 60),
      end: hhmm(row?.quietEndMinute ?? 7 * 60),
      timeZone: row?.timeZone ?? "UTC",
    },
  };
}

export type Delivery = { inApp: boolean; toast: boolean; browser: boolean; sound: boolean };

function localMinute(now: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}

export function inQuietHours(prefs: PreferencesDTO, now = new Date()) {
  const q = prefs.quietHours;
  if (!q.enabled) return false;
  const [start, end, at] = [toMinute(q.start), toMinute(q.end), localMinute(now, q.timeZone)];
  if (start === end) return false;
  return start < end ? at >= start && at < end : at >= start || at < end;
}

/**
 * What the center does with a new notification for this user: decided on the server, sent along
 * with the event. The inbox always gets it; muted categories and quiet hours silence the rest.
 */
export function deliveryFor(prefs: PreferencesDTO, n: { category: NotificationCategory; priority: NotificationPriority }, now = new Date()): Delivery {
  const c = prefs.categories[n.category];
  const live = c.inApp && !c.muted && !inQuietHours(prefs, now);
  const important = n.priority === "high" || n.priority === "urgent";
  return {
    inApp: c.inApp,
    toast: live && c.toast,
    browser: live && c.browser && prefs.browserEnabled && important,
    sound: live && c.sound && prefs.soundEnabled && n.priority === "urgent",
  };
}
