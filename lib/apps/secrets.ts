import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/** Recognisable by secret scanners; 256 random bits. */
const SECRET_PREFIX = "hsk_";

export function generateSigningKey() {
  return { kid: `key_${randomBytes(9).toString("base64url")}`, secret: `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}` };
}

let key: Buffer | undefined;
/** Derived from AUTH_SECRET: whoever can read the table still needs the server's secret. */
function encryptionKey() {
  key ??= Buffer.from(hkdfSync("sha256", env().AUTH_SECRET, "", "herald app signing keys v1", 32));
  return key;
}

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function sealSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

/** Null when it does not open (AUTH_SECRET changed since it was sealed): the key then verifies nothing. */
export function openSecret(sealed: string): Uint8Array | null {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]));
  } catch {
    return null;
  }
}
