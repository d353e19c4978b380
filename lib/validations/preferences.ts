import { z } from "zod";
import { NOTIFICATION_CATEGORIES } from "@/lib/notifications/constants";

const time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "must be HH:MM (24-hour)");
const timeZone = z.string().max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Europe/Paris");

const categoryPreference = z.strictObject({
  inApp: z.boolean().optional(),
  toast: z.boolean().optional(),
  browser: z.boolean().optional(),
  sound: z.boolean().optional(),
  email: z.boolean().optional(),
  muted: z.boolean().optional(),
});

/** Every field optional: what is given replaces the stored value, the rest is kept. */
export const updatePreferencesSchema = z.strictObject({
  categories: z.partialRecord(z.enum(NOTIFICATION_CATEGORIES), categoryPreference).optional(),
  soundEnabled: z.boolean().optional(),
  browserEnabled: z.boolean().optional(),
  quietHours: z
    .strictObject({ enabled: z.boolean().optional(), start: time.optional(), end: time.optional(), timeZone: timeZone.optional() })
    .optional(),
});
export type UpdatePreferencesInput = z.infer<typeof updatePreferencesSchema>;
