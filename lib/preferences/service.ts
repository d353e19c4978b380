import "server-only";
import { db } from "@/db";
import { getPreferencesRow, getPreferencesRows, upsertPreferencesRow } from "@/db/queries/preferences";
import type { NotificationCategory } from "@/db/schema";
import type { UpdatePreferencesInput } from "@/lib/validations/preferences";
import { toMinute, toPreferencesDTO, type PreferencesDTO } from "./model";

export async function getPreferences(userId: string): Promise<PreferencesDTO> {
  return toPreferencesDTO(await getPreferencesRow(db, userId));
}

/** Preferences of several users in one query (for the realtime fan-out). */
export async function getPreferencesFor(userIds: string[]): Promise<Map<string, PreferencesDTO>> {
  const rows = await getPreferencesRows(db, userIds);
  const byUser = new Map(rows.map((r) => [r.userId, toPreferencesDTO(r)]));
  for (const id of userIds) if (!byUser.has(id)) byUser.set(id, toPreferencesDTO(null));
  return byUser;
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
    quietHoursEnabled: quiet.enabled,
    quietStartMinute: toMinute(quiet.start),
    quietEndMinute: toMinute(quiet.end),
    timeZone: quiet.timeZone,
  });
  return toPreferencesDTO(row);
}
