import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import {
  countActiveTokens,
  countTokensCreatedToday,
  insertToken,
  listTokensForUser,
  revokeTokenForUser,
  type TokenRow,
} from "@/db/queries/tokens";
import { getAppRow } from "@/db/queries/apps";
import { withTransaction } from "@/db/transaction";
import type { SessionUser } from "@/lib/auth/session";
import { isAdmin } from "@/lib/auth/roles";
import { AppError, notFound } from "@/lib/errors";
import type { CreateTokenInput, TokenDTO } from "@/lib/validations/tokens";
import { generateSecret } from "./secret";

/** Enough for every integration a person runs; a cap keeps a leaked session from minting thousands. */
export const ACTIVE_TOKENS_MAX = 25;
/**
 * Creations per user per 24 hours, revoked tokens included: the active cap alone lets
 * create-and-revoke mint any number of tokens.
 */
export const TOKEN_CREATIONS_PER_DAY = 20;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTokenDTO(row: TokenRow): TokenDTO {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    categories: row.categories,
    appId: row.appId,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

/**
 * Creates a token; the secret is returned this once and only its hash is stored. Only an admin may
 * create a `users` token (one that reaches other people); everyone else's notify only themselves.
 */
export async function createToken(user: SessionUser, input: CreateTokenInput): Promise<{ token: TokenDTO; secret: string }> {
  if (input.scope !== "self" && !isAdmin(user)) {
    throw new AppError("scope_not_allowed", "Only an admin can create a token that notifies other users or an app's subscribers; create a `self` token instead");
  }
  const { secret, hash, prefix } = generateSecret();
  const row = await withTransaction(async (tx) => {
    // Serialises one user's concurrent creations so neither cap can be overshot.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`herald-tokens:${user.id}`}, 0))`);
    if ((await countActiveTokens(tx, user.id)) >= ACTIVE_TOKENS_MAX) {
      throw new AppError("limit_reached", `You already have ${ACTIVE_TOKENS_MAX} active tokens; revoke one first`);
    }
    const today = await countTokensCreatedToday(tx, user.id);
    if (today.n >= TOKEN_CREATIONS_PER_DAY) {
      const retryAfter = Math.max(1, Math.ceil(today.freedInSeconds ?? 1));
      throw new AppError("rate_limited", `You created ${TOKEN_CREATIONS_PER_DAY} tokens in the last 24 hours (revoked ones count too); try again in ${Math.ceil(retryAfter / 60)} min`, {
        details: { limit: TOKEN_CREATIONS_PER_DAY, windowSeconds: 86_400, retryAfterSeconds: retryAfter },
        headers: { "Retry-After": String(retryAfter) },
      });
    }
    if (input.appId && !(await getAppRow(tx, input.appId))) throw notFound("App");
    return insertToken(tx, { userId: user.id, name: input.name, tokenHash: hash, prefix, scope: input.scope, categories: input.categories ?? null, appId: input.appId ?? null });
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
