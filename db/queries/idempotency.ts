import { and, eq, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { idempotencyKeys } from "@/db/schema";

export const IDEMPOTENCY_WINDOW = sql`interval '24 hours'`;

/**
 * Claims a key for this request inside the caller's transaction. A concurrent request with the same
 * key blocks on the primary key until this transaction ends: it then sees the committed result (or,
 * after a rollback, claims the key itself). A key older than 24 h is taken over as new.
 * Returns null when claimed, else the stored row to replay or refuse.
 */
export async function claimIdempotencyKey(db: DatabaseOrTransaction, tokenId: string, key: string, requestHash: string) {
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ tokenId, key, requestHash })
    .onConflictDoUpdate({
      target: [idempotencyKeys.tokenId, idempotencyKeys.key],
      set: { requestHash, status: null, response: null, createdAt: sql`now()` },
      setWhere: sql`${idempotencyKeys.createdAt} < now() - ${IDEMPOTENCY_WINDOW}`,
    })
    .returning({ key: idempotencyKeys.key });
  if (claimed.length) return null;
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tokenId, tokenId), eq(idempotencyKeys.key, key)));
  return existing;
}

export async function saveIdempotentResponse(
  db: DatabaseOrTransaction,
  tokenId: string,
  key: string,
  result: { status: number; response: unknown },
) {
  await db
    .update(idempotencyKeys)
    .set({ status: result.status, response: result.response })
    .where(and(eq(idempotencyKeys.tokenId, tokenId), eq(idempotencyKeys.key, key)));
}
