/**
 * The snooze menu's presets, in the browser's time zone (the user's): in an hour, this evening at
 * 18:00 (while it is still before 17:00), tomorrow at 09:00, next Monday at 09:00.
 */
export type SnoozePreset = { id: string; label: string; at: Date };

const at = (base: Date, days: number, hour: number) => {
  const d = new Date(base);
  d.setDate(d.getDate() + days);
  d.setHours(hour, 0, 0, 0);
  return d;
};

const timeFormat = new Intl.DateTimeFormat("en", { weekday: "short", hour: "numeric", minute: "2-digit" });
export const snoozeTimeText = (d: Date) => timeFormat.format(d);

export function snoozePresets(now = new Date()): SnoozePreset[] {
  const presets: SnoozePreset[] = [{ id: "hour", label: "In 1 hour", at: new Date(now.getTime() + 3_600_000) }];
  if (now.getHours() < 17) presets.push({ id: "evening", label: "This evening", at: at(now, 0, 18) });
  presets.push({ id: "tomorrow", label: "Tomorrow", at: at(now, 1, 9) });
  // Next Monday: a week away on a Monday.
  const toMonday = ((8 - now.getDay()) % 7) || 7;
  presets.push({ id: "monday", label: "Next Monday", at: at(now, toMonday, 9) });
  return presets;
}

/** A `<input type="datetime-local">` value (local time, minutes) for a date. */
export function localInputValue(d: Date) {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
