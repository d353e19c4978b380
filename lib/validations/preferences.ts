import { z } from "zod";
import { text } from "./text";
import { EMAIL_DIGESTS, NOTIFICATION_CATEGORIES } from "@/lib/notifications/constants";
import type { PreferencesDTO } from "@/lib/preferences/model";

const time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "must be HH:MM (24-hour)");
const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
/**
 * Anything this server's Intl accepts. The document lists the canonical names (what a client should
 * send); links such as US/Eastern, and the other spelling of a renamed zone (Asia/Kolkata where ICU
 * says Asia/Calcutta), are accepted too, since browsers do not all report the same one.
 */
export const timeZoneSchema = text()
  .max(64)
  .refine(isTimeZone, "must be an IANA time zone such as Europe/Paris")
  .meta({
    id: "TimeZone",
    enum: [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])],
    description: "An IANA time zone such as Europe/Paris; other names this server's Intl accepts (US/Eastern, Asia/Kolkata) are accepted too",
  });

const emailDigest = z.enum(EMAIL_DIGESTS).meta({
  id: "EmailDigest",
  description: "instant: one email per unread notification after the delay (several due at once go as one); hourly/daily: one digest of what is still unread; off: no email",
});

const categoryPreference = z.strictObject({
  inApp: z.boolean().optional(),
  toast: z.boolean().optional(),
  browser: z.boolean().optional(),
  sound: z.boolean().optional(),
  email: z.boolean().optional(),
  push: z.boolean().optional(),
  muted: z.boolean().optional(),
});

/** Every field optional: what is given replaces the stored value, the rest is kept. */
export const updatePreferencesSchema = z.strictObject({
  categories: z.partialRecord(z.enum(NOTIFICATION_CATEGORIES), categoryPreference).optional(),
  soundEnabled: z.boolean().optional(),
  browserEnabled: z.boolean().optional(),
  emailDigest: emailDigest.optional(),
  quietHours: z
    .strictObject({ enabled: z.boolean().optional(), start: time.optional(), end: time.optional(), timeZone: timeZoneSchema.optional() })
    .optional(),
});
export type UpdatePreferencesInput = z.infer<typeof updatePreferencesSchema>;

const categorySettings = z
  .object({ inApp: z.boolean(), toast: z.boolean(), browser: z.boolean(), sound: z.boolean(), email: z.boolean(), push: z.boolean(), muted: z.boolean() })
  .meta({ id: "CategoryPreference" });

/** The settings as GET/PUT /api/preferences return them, every default filled in. */
export const preferencesSchema = z
  .object({
    categories: z.record(z.enum(NOTIFICATION_CATEGORIES), categorySettings),
    soundEnabled: z.boolean(),
    browserEnabled: z.boolean(),
    emailDigest,
    quietHours: z.object({ enabled: z.boolean(), start: z.string(), end: z.string(), timeZone: z.string() }),
  })
  .meta({ id: "Preferences" });

// Fails the type check if the documented shape and the service's PreferencesDTO ever part ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const preferencesShapeMatches: Same<z.infer<typeof preferencesSchema>, PreferencesDTO> = true;
void preferencesShapeMatches;
