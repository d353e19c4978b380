import "server-only";
import { decodeProtectedHeader, jwtVerify, errors as jose } from "jose";
import { db } from "@/db";
import { getSigningKeyForVerify } from "@/db/queries/apps";
import { openSecret } from "@/lib/apps/secrets";
import { AppError } from "@/lib/errors";
import { setRequestUser } from "@/lib/logging/logger.mjs";
import { resolveSubscribers } from "@/lib/subscribers/service";
import { externalIdSchema } from "@/lib/validations/subscribers";

/** The longest a subscriber token may live (exp - iat): a leaked one is useless within a day. */
export const SUBSCRIBER_TOKEN_MAX_LIFETIME_S = 24 * 60 * 60;
export const SUBSCRIBER_TOKEN_AUDIENCE = "herald";

export type SubscriberPrincipal = {
  userId: string;
  name: string;
  email: string | null;
  appId: string;
  externalId: string;
  kid: string;
  /** Epoch ms of the token's `exp`. */
  expiresAt: number;
  allowedOrigins: string[];
};

const invalid = (message: string) =>
  new AppError("invalid_token", message, { headers: { "WWW-Authenticate": 'Bearer realm="herald", error="invalid_token"' } });

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
export const looksLikeJwt = (value: string) => value.length < 8192 && JWT_SHAPE.test(value);

/**
 * Verifies a subscriber token: HS256 only (the header's `alg` is never trusted), signed with the
 * app key its `kid` names, `aud` "herald", `exp` required and at most 24 h after `iat`, `sub` the
 * subscriber's external id. A valid token for an external id never seen creates the subscriber:
 * the app's server vouched for it. Each refusal says which rule failed, never anything of the key.
 */
export async function verifySubscriberToken(token: string): Promise<SubscriberPrincipal> {
  if (!looksLikeJwt(token)) throw invalid("This is not a subscriber token (a JWT)");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalid("The token's header is not valid JSON");
  }
  if (header.alg !== "HS256") throw invalid("Subscriber tokens must be signed with HS256");
  if (typeof header.kid !== "string" || header.kid.length === 0) throw invalid("The token's header has no `kid`");
  const key = await getSigningKeyForVerify(db, header.kid);
  if (!key) throw invalid("Unknown signing key (`kid`): it was never created or has been deleted");
  const secret = openSecret(key.secretCiphertext);
  if (!secret) throw invalid("This signing key can no longer be used (the server's secret changed); create a new one");
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(token, secret, {
      algorithms: ["HS256"],
      audience: SUBSCRIBER_TOKEN_AUDIENCE,
      requiredClaims: ["sub", "exp", "iat"],
    }));
  } catch (err) {
    throw invalid(refusal(err));
  }
  if (payload.exp! - payload.iat! > SUBSCRIBER_TOKEN_MAX_LIFETIME_S) throw invalid("The token lives more than 24 hours (exp - iat)");
  const sub = externalIdSchema.safeParse(payload.sub);
  if (!sub.success) throw invalid("The token's `sub` must be the subscriber's external id (1-200 printable characters)");
  const [subscriber] = await resolveSubscribers(db, key.appId, [sub.data]);
  setRequestUser(subscriber.id);
  return {
    userId: subscriber.id,
    name: subscriber.name,
    email: subscriber.email,
    appId: key.appId,
    externalId: sub.data,
    kid: key.kid,
    expiresAt: payload.exp! * 1000,
    allowedOrigins: key.allowedOrigins,
  };
}

function refusal(err: unknown): string {
  if (err instanceof jose.JWTExpired) return "The token has expired";
  if (err instanceof jose.JWSSignatureVerificationFailed) return "The token's signature does not match its signing key";
  if (err instanceof jose.JWTClaimValidationFailed) {
    if (err.claim === "aud") return 'The token\'s audience (`aud`) must be "herald"';
    if (err.reason === "missing") return `The token has no \`${err.claim}\` claim`;
    if (err.claim === "iat" || err.claim === "nbf") return `The token's \`${err.claim}\` is in the future`;
    return `The token's \`${err.claim}\` claim is not valid`;
  }
  if (err instanceof jose.JOSEAlgNotAllowed) return "Subscriber tokens must be signed with HS256";
  return "The token is malformed";
}
