import { z } from "zod";
import { requiredText, text } from "./text";

export const APP_NAME_MAX = 80;
export const APP_ORIGINS_MAX = 20;

/**
 * An origin exactly as a browser sends it: `scheme://host[:port]`, http or https, lower case, no
 * path, no wildcard, no default port. Anything else could never match a request's Origin header.
 */
/** The shape, in the document too: scheme, a host name or IP literal (no `*`), an optional port. */
const ORIGIN_SHAPE = /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;
const ORIGIN_MESSAGE =
  "must be an origin exactly as browsers send it: scheme://host[:port], http or https, lower case, with no path, wildcard or trailing slash";

const originSchema = text()
  .max(300, "must be at most 300 characters")
  .regex(ORIGIN_SHAPE, ORIGIN_MESSAGE)
  .refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    // What the shape lets through and browsers never send: a default port, a host URL rewrites.
    return url.origin === value;
  }, ORIGIN_MESSAGE)
  .meta({ description: "`scheme://host[:port]` exactly as the browser sends it in `Origin`", example: "https://shop.example" });

const originsSchema = z
  .array(originSchema)
  .max(APP_ORIGINS_MAX, `at most ${APP_ORIGINS_MAX} origins`)
  .refine((o) => new Set(o).size === o.length, "lists an origin twice")
  .meta({ description: "The pages that may use this app's subscriber tokens from a browser", uniqueItems: true });

export const createAppSchema = z
  .strictObject({
    name: requiredText(APP_NAME_MAX).meta({ example: "Shop" }),
    allowedOrigins: originsSchema.default([]),
  })
  .meta({ id: "CreateApp" });
export type CreateAppInput = z.infer<typeof createAppSchema>;

export const updateAppSchema = z
  .strictObject({ name: requiredText(APP_NAME_MAX).optional(), allowedOrigins: originsSchema.optional() })
  .refine((v) => v.name !== undefined || v.allowedOrigins !== undefined, "give name or allowedOrigins")
  .meta({ id: "UpdateApp", minProperties: 1 });
export type UpdateAppInput = z.infer<typeof updateAppSchema>;

export const appIdSchema = z.uuid("must be an app id");
export const kidSchema = z.string().regex(/^key_[A-Za-z0-9_-]{12}$/, "must be a signing key id (key_...)");

const isoDate = z.iso.datetime({ offset: true });

export const signingKeySchema = z
  .object({ kid: z.string(), createdAt: isoDate })
  .meta({ id: "SigningKey", description: "A key the app's server signs subscriber tokens with; its secret is shown only when created" });
export type SigningKeyDTO = z.infer<typeof signingKeySchema>;

export const appSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    allowedOrigins: z.array(z.string()),
    signingKeys: z.array(signingKeySchema),
    createdAt: isoDate,
  })
  .meta({ id: "App" });
export type AppDTO = z.infer<typeof appSchema>;

export const createdSigningKeySchema = z
  .object({
    kid: z.string().meta({ description: "Put it in the token's `kid` header" }),
    secret: z.string().meta({ description: "The HS256 key (its UTF-8 bytes). Shown this once" }),
  })
  .meta({ id: "CreatedSigningKey" });

export const createdAppSchema = z.object({ app: appSchema, signingKey: createdSigningKeySchema }).meta({ id: "CreatedApp" });
export const appListSchema = z.object({ items: z.array(appSchema) }).meta({ id: "AppList" });
