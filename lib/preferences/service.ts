import "server-only";
import { db } from "@/db";
import { getPreferencesRow, upsertPreferencesRow } from "@/db/queries/preferences";
import type { NotificationCategory } from "@/db/schema";
import type { UpdatePreferencesInput } from "@/lib/validations/preferences";
import { toMinute, toPreferencesDTO, type PreferencesDTO } from "./model";

export async function getPreferences(userId: string): Promise<PreferencesDTO> {
  return toPreferencesDTO(await getPreferencesRow(db, userId));
}

export async function updatePreferences(userId: string, input: UpdatePreferencesInput): Promise<PreferencesDTO> {
  const current = await getPreferences(userId);
  const categories = { ...current.categories };
  for (const [c, change] of Object.entries(input.categories ?? {})) {
    const key = c as NotificationCategory;
    categories[key] = { ...categories[key], ...change };
  }
  const quiet = { ...current.quietHours, ...input.quietHours };
  const row = await upsertPreferencesRow(db, {
    userId,
    categories,
    soundEnabled: input.soundEnabled ?? current.soundEnabled,
    browserEnabled: input.browserEnabled ?? current.browserEnabled,
    emailDigest: input.emailDigest ?? current.emailDigest,
    quietHoursEnabled: quiet.enabled,
    quietStartMinute: toMinute(quiet.start),
    quietEndMinute: toMinute(quiet.end),
    timeZone: quiet.timeZone,
  });
  return toPreferencesDTO(row);
}

/** What a one-click unsubscribe turns off: one category's email, or every email (the digest setting). */
export async function unsubscribeEmail(userId: string, scope: NotificationCategory | "all"): Promise<PreferencesDTO> {
  return updatePreferences(userId, scope === "all" ? { emailDigest: "off" } : { categories: { [scope]: { email: false } } });
}
