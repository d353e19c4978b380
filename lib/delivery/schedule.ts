// When an email or push may go out: pure functions of the clock, the user's time zone and their
// settings (unit-tested in tests/unit/delivery-schedule.test.ts).
import type { EmailDigest, NotificationPriority } from "@/db/schema";
import { inQuietHours, toMinute, type PreferencesDTO } from "@/lib/preferences/model";

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** The wall-clock fields of `date` in `timeZone`. */
function zoned(date: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** The zone's offset from UTC at `date`, in ms (wall clock minus UTC). */
function offsetAt(date: Date, timeZone: string) {
  const z = zoned(date, timeZone);
  return Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute, z.second) - Math.floor(date.getTime() / 1000) * 1000;
}

/**
 * The first moment strictly after `after` when the wall clock in `timeZone` reads `minuteOfDay`
 * (minutes after midnight). Across a DST change the offset of the target day is used, so "09:00"
 * stays 09:00 local; a wall time skipped by the change resolves to just after it.
 */
export function nextLocalTime(after: Date, timeZone: string, minuteOfDay: number): Date {
  const z = zoned(after, timeZone);
  for (let dayOffset = 0; dayOffset <= 2; dayOffset++) {
    const wall = Date.UTC(z.year, z.month - 1, z.day + dayOffset, 0, minuteOfDay);
    let candidate = wall - offsetAt(new Date(wall), timeZone);
    candidate = wall - offsetAt(new Date(candidate), timeZone);
    if (candidate > after.getTime()) return new Date(candidate);
  }
  return new Date(after.getTime() + DAY_MINUTES * MINUTE);
}

/** The next full hour on the user's wall clock after `after` (zones with a :30 offset included). */
export function nextLocalHour(after: Date, timeZone: string): Date {
  const z = zoned(after, timeZone);
  return nextLocalTime(after, timeZone, ((z.hour + 1) % 24) * 60);
}

export type EmailPlan = {
  createdAt: Date;
  priority: NotificationPriority;
  digest: EmailDigest;
  timeZone: string;
  delaySeconds: number;
  digestHour: number;
};

/**
 * When a notification's email is due: urgent ones at once; otherwise after the delay (instant) or
 * at the next digest (the next full hour, or the next digest hour of the user's day).
 */
export function emailDueAt(plan: EmailPlan): Date {
  if (plan.priority === "urgent") return plan.createdAt;
  switch (plan.digest) {
    case "hourly":
      return nextLocalHour(plan.createdAt, plan.timeZone);
    case "daily":
      return nextLocalTime(plan.createdAt, plan.timeZone, plan.digestHour * 60);
    default:
      return new Date(plan.createdAt.getTime() + plan.delaySeconds * 1000);
  }
}

/** When quiet hours end if `now` is inside them (urgent ones do not wait); null when sending may go ahead. */
export function quietUntil(prefs: PreferencesDTO, priority: NotificationPriority, now = new Date()): Date | null {
  if (priority === "urgent" || !inQuietHours(prefs, now)) return null;
  return nextLocalTime(now, prefs.quietHours.timeZone, toMinute(prefs.quietHours.end));
}

/** Exponential backoff from `baseSeconds`: the wait before attempt `attempt + 1`. */
export function retryDelayMs(attempt: number, baseSeconds: number) {
  return baseSeconds * 1000 * 2 ** Math.max(0, Math.min(attempt - 1, 16));
}
