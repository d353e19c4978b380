import { SignJWT } from "jose";
import { createAdminToken, createToken, type ServiceToken } from "./api";
import type { Client } from "./users";

export type TestApp = { id: string; kid: string; secret: string; admin: Client; token: ServiceToken };

/** A fresh app with its first signing key and an `app` token, made through the API as an admin would. */
export async function createTestApp(prefix: string, allowedOrigins: string[] = ["http://localhost:4100"]): Promise<TestApp> {
  const { client } = await createAdminToken(prefix);
  const res = await client.json("/api/apps", { body: { name: `${prefix} app`, allowedOrigins } });
  if (res.status !== 201) throw new Error(`app creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token = await createToken(client, `${prefix}-app-token`, { scope: "app", appId: res.body.app.id });
  return { id: res.body.app.id, kid: res.body.signingKey.kid, secret: res.body.signingKey.secret, admin: client, token };
}

/** A subscriber token as a host's server mints it (HS256, the secret's UTF-8 bytes as the key). */
export async function mintSubscriberToken(
  key: { kid: string; secret: string },
  externalId: string,
  options: { expiresIn?: number; iat?: number; aud?: string; alg?: string } = {},
) {
  const iat = options.iat ?? Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? "HS256", kid: key.kid })
    .setSubject(externalId)
    .setAudience(options.aud ?? "herald")
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.expiresIn ?? 3600))
    .sign(new TextEncoder().encode(key.secret));
}
