import { and, count, desc, eq, gt, isNull, lt, min, or, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { apiTokens, users, type NewApiToken, type NotificationCategory } from "@/db/schema";
import { accountEmail } from "./users";

/** What may leave the database about a token: never its hash. */
const publicColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scope: apiTokens.scope,
  categories: apiTokens.categories,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  appId: apiTokens.appId,
};
export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scope: "self" | "users" | "app";
  categories: NotificationCategory[] | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  appId: string | null;
};

export async function insertToken(db: DatabaseOrTransaction, values: NewApiToken): Promise<TokenRow> {
  const [row] = await db.insert(apiTokens).values(values).returning(publicColumns);
  return row;
}

export async function countActiveTokens(db: DatabaseOrTransaction, userId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
  return row.n;
}

/**
 * Tokens the user created in the last 24 hours, revoked ones included (revoking does not give a
 * creation back), and when the oldest of them leaves that window.
 */
export async function countTokensCreatedToday(db: DatabaseOrTransaction, userId: string) {
  const [row] = await db
    .select({
      n: count(),
      freedInSeconds: sql<number | null>`extract(epoch from (${min(apiTokens.createdAt)} + interval '24 hours' - now()))::float8`,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), gt(apiTokens.createdAt, sql`now() - interval '24 hours'`)));
  return { n: row.n, freedInSeconds: row.freedInSeconds === null ? null : Number(row.freedInSeconds) };
}

/** Active tokens first, then revoked ones; newest first within each. */
export async function listTokensForUser(db: DatabaseOrTransaction, userId: string): Promise<TokenRow[]> {
  return db
    .select(publicColumns)
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(sql`${apiTokens.revokedAt} is not null`, desc(apiTokens.createdAt))
    .limit(200);
}

/** Revokes one of the user's tokens (revoking twice keeps the first time); null if it is not theirs. */
export async function revokeTokenForUser(db: DatabaseOrTransaction, id: string, userId: string): Promise<TokenRow | null> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)))
    .returning(publicColumns);
  return row ?? null;
}

/** The token with this secret hash, revoked or not (the caller tells the two apart), with its owner's email. */
export async function getTokenByHash(db: DatabaseOrTransaction, tokenHash: string) {
  const [row] = await db
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      name: apiTokens.name,
      scope: apiTokens.scope,
      appId: apiTokens.appId,
      categories: apiTokens.categories,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      ownerEmail: accountEmail(users.email),
      ownerVerified: sql<boolean>`${users.emailVerifiedAt} is not null`,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash));
  return row ?? null;
}

/** Records use at most once a minute per token, so a busy token does not write on every request. */
export async function touchTokenLastUsed(db: DatabaseOrTransaction, id: string) {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`))));
}
