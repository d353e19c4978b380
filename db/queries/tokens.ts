import { and, count, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { apiTokens, type NewApiToken } from "@/db/schema";

/** What may leave the database about a token: never its hash. */
const publicColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};
export type TokenRow = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

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

/** The token with this secret hash, revoked or not (the caller tells the two apart). */
export async function getTokenByHash(db: DatabaseOrTransaction, tokenHash: string) {
  const [row] = await db
    .select({ id: apiTokens.id, userId: apiTokens.userId, revokedAt: apiTokens.revokedAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
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
