import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** Recognisable in logs and by secret scanners; the rest is 256 random bits. */
export const TOKEN_PREFIX = "hrld_";
const TOKEN_PATTERN = /^hrld_[A-Za-z0-9_-]{43}$/;
/** How much of the secret lists show, enough to tell tokens apart and useless to an attacker. */
const SHOWN_CHARS = TOKEN_PREFIX.length + 6;

export function generateSecret() {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashSecret(secret), prefix: secret.slice(0, SHOWN_CHARS) };
}

/**
 * SHA-256 is enough here (no salt, no slow hash): the secret has 256 bits of entropy, so there is
 * nothing to brute-force, and a plain digest lets us look tokens up by an index.
 */
export function hashSecret(secret: string) {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export const looksLikeToken = (value: string) => TOKEN_PATTERN.test(value);
