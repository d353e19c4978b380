import { z } from "zod";
import { categorySchema } from "./notifications";
import { requiredText } from "./text";

export const TOKEN_NAME_MAX = 80;

export const TOKEN_SCOPES = ["self", "users", "app"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const scopeSchema = z.enum(TOKEN_SCOPES).meta({
  description: "`self`: the token notifies only its owner. `users`: it may notify any account and name any actor (admins only). `app`: it identifies, notifies and deletes the subscribers of `appId`, and nobody else (admins only)",
});
const categoriesSchema = z
  .array(categorySchema)
  .min(1, "give at least one category, or leave the field out for every category")
  .refine((c) => new Set(c).size === c.length, "lists a category twice")
  .meta({ uniqueItems: true })
  .nullable()
  .meta({ description: "The only categories the token may send; null (or left out) for every category" });

export const createTokenSchema = z
  .strictObject({
    name: requiredText(TOKEN_NAME_MAX).meta({
      description: "What the token is for, e.g. the app that uses it; recipients see it as “via <name>”",
      example: "billing-service",
    }),
    scope: scopeSchema.default("self"),
    categories: categoriesSchema.optional(),
    appId: z.uuid("must be an app id").optional().meta({ description: "The app of an `app` token (required with that scope, refused with the others)" }),
  })
  .refine((t) => (t.scope === "app") === (t.appId !== undefined), {
    message: "give appId with scope `app`, and only then",
    path: ["appId"],
  })
  .meta({ id: "CreateToken" });
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export const tokenIdSchema = z.uuid("must be a token id");

const isoDate = z.iso.datetime({ offset: true });

/** A token as lists show it: never the secret, never its hash. */
export const tokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: "The first characters of the secret, to tell tokens apart" }),
    scope: scopeSchema,
    categories: z.array(categorySchema).nullable(),
    appId: z.uuid().nullable().meta({ description: "The app of an `app` token" }),
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
