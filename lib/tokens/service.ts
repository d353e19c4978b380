import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { withTransaction } from "@/db/transaction";
import { countActiveTokens, insertToken, listTokensForUser, revokeTokenForUser, type TokenRow } from "@/db/queries/tokens";
import { AppError, notFound } from "@/lib/errors";
import type { TokenDTO } from "@/lib/validations/tokens";
import { generateSecret } from "./secret";

/** Enough for every integration a person runs; a cap keeps a leaked session from minting thousands. */
export const ACTIVE_TOKENS_MAX = 25;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTokenDTO(row: TokenRow): TokenDTO {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

/** Creates a token; the secret is returned this once and only its hash is stored. */
export async function createToken(userId: string, name: string): Promise<{ token: TokenDTO; secret: string }> {
  const { secret, hash, prefix } = generateSecret();
  const row = await withTransaction(async (tx) => {
    // Serialises one user's concurrent creations so the cap cannot be overshot.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`herald-tokens:${userId}`}, 0))`);
    if ((await countActiveTokens(tx, userId)) >= ACTIVE_TOKENS_MAX) {
      throw new AppError(409, "limit_reached", `You already have ${ACTIVE_TOKENS_MAX} active tokens; revoke one first`);
    }
    return insertToken(tx, { userId, name, tokenHash: hash, prefix });
  });
  return { token: toTokenDTO(row), secret };
}

export async function listTokens(userId: string): Promise<TokenDTO[]> {
  return (await listTokensForUser(db, userId)).map(toTokenDTO);
}

/** Revoked at once: the next request with it is refused. Idempotent for the owner, 404 for anyone else. */
export async function revokeToken(userId: string, id: string): Promise<TokenDTO> {
  const row = await revokeTokenForUser(db, id, userId);
  if (!row) throw notFound("Token");
  return toTokenDTO(row);
}
