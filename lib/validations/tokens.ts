import { z } from "zod";
import { text } from "./text";

export const TOKEN_NAME_MAX = 80;

export const createTokenSchema = z
  .strictObject({
    name: text()
      .trim()
      .min(1, "is required")
      .max(TOKEN_NAME_MAX, `must be at most ${TOKEN_NAME_MAX} characters`)
      .meta({ description: "What the token is for, e.g. the app that uses it", example: "billing-service" }),
  })
  .meta({ id: "CreateToken" });

export const tokenIdSchema = z.uuid("must be a token id");

const isoDate = z.iso.datetime({ offset: true });

/** A token as lists show it: never the secret, never its hash. */
export const tokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: "The first characters of the secret, to tell tokens apart" }),
    createdAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
  })
  .meta({ id: "Token" });
export type TokenDTO = z.infer<typeof tokenSchema>;

export const createdTokenSchema = z
  .object({
    token: tokenSchema,
    secret: z.string().meta({ description: "Shown this once; only its SHA-256 hash is stored" }),
  })
  .meta({ id: "CreatedToken" });

export const tokenListSchema = z.object({ items: z.array(tokenSchema) }).meta({ id: "TokenList" });
