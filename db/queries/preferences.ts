import { eq } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { userPreferences, type NewUserPreferences } from "@/db/schema";

export async function getPreferencesRow(db: DatabaseOrTransaction, userId: string) {
  const [row] = await db.select().from(userPreferences).where(eq(userPreferences.userId, userId));
  return row ?? null;
}

export async function upsertPreferencesRow(db: DatabaseOrTransaction, values: NewUserPreferences) {
  const { userId, ...rest } = values;
  const [row] = await db
    .insert(userPreferences)
    .values(values)
    .onConflictDoUpdate({ target: userPreferences.userId, set: { ...rest, updatedAt: new Date() } })
    .returning();
  return row;
}
