import { and, arrayContains, asc, count, desc, eq, inArray } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { apps, appSigningKeys, type NewApp, users } from "@/db/schema";

export async function insertApp(db: DatabaseOrTransaction, values: NewApp) {
  const [row] = await db.insert(apps).values(values).returning();
  return row;
}

export async function listAppRows(db: DatabaseOrTransaction) {
  return db.select().from(apps).orderBy(desc(apps.createdAt)).limit(500);
}

export async function getAppRow(db: DatabaseOrTransaction, id: string) {
  const [row] = await db.select().from(apps).where(eq(apps.id, id));
  return row ?? null;
}

export async function updateAppRow(db: DatabaseOrTransaction, params: { id: string; name?: string; allowedOrigins?: string[] }) {
  const [row] = await db
    .update(apps)
    .set({ ...(params.name !== undefined ? { name: params.name } : {}), ...(params.allowedOrigins !== undefined ? { allowedOrigins: params.allowedOrigins } : {}) })
    .where(eq(apps.id, params.id))
    .returning();
  return row ?? null;
}

/** Deletes the app and, by ON DELETE CASCADE, its keys, app tokens and subscribers with all they own. */
export async function deleteAppRow(db: DatabaseOrTransaction, id: string) {
  const rows = await db.delete(apps).where(eq(apps.id, id)).returning({ id: apps.id });
  return rows.length > 0;
}

export async function insertSigningKey(db: DatabaseOrTransaction, values: { kid: string; appId: string; secretCiphertext: string }) {
  const [row] = await db.insert(appSigningKeys).values(values).returning({ kid: appSigningKeys.kid, createdAt: appSigningKeys.createdAt });
  return row;
}

/** The public part of the keys of these apps (never the secret), oldest first. */
export async function listSigningKeys(db: DatabaseOrTransaction, appIds: string[]) {
  if (appIds.length === 0) return [];
  return db
    .select({ appId: appSigningKeys.appId, kid: appSigningKeys.kid, createdAt: appSigningKeys.createdAt })
    .from(appSigningKeys)
    .where(inArray(appSigningKeys.appId, appIds))
    .orderBy(asc(appSigningKeys.createdAt));
}

export async function countSigningKeys(db: DatabaseOrTransaction, appId: string) {
  const [row] = await db.select({ n: count() }).from(appSigningKeys).where(eq(appSigningKeys.appId, appId));
  return row.n;
}

export async function deleteSigningKey(db: DatabaseOrTransaction, params: { appId: string; kid: string }) {
  const rows = await db
    .delete(appSigningKeys)
    .where(and(eq(appSigningKeys.appId, params.appId), eq(appSigningKeys.kid, params.kid)))
    .returning({ kid: appSigningKeys.kid });
  return rows.length > 0;
}

/** What verifying a subscriber token needs: the sealed secret and its app's origins. */
export async function getSigningKeyForVerify(db: DatabaseOrTransaction, kid: string) {
  const [row] = await db
    .select({ kid: appSigningKeys.kid, appId: appSigningKeys.appId, secretCiphertext: appSigningKeys.secretCiphertext, allowedOrigins: apps.allowedOrigins })
    .from(appSigningKeys)
    .innerJoin(apps, eq(apps.id, appSigningKeys.appId))
    .where(eq(appSigningKeys.kid, kid));
  return row ?? null;
}

/** Whether any app allows this origin (a preflight's answer). */
export async function anyAppAllowsOrigin(db: DatabaseOrTransaction, origin: string) {
  const rows = await db.select({ id: apps.id }).from(apps).where(arrayContains(apps.allowedOrigins, [origin])).limit(1);
  return rows.length > 0;
}

/** How many subscribers the app has (the users rows it owns). */
export async function countSubscribers(db: DatabaseOrTransaction, appId: string) {
  const [row] = await db.select({ n: count() }).from(users).where(eq(users.appId, appId));
  return row.n;
}
