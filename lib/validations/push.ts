import { createPublicKey } from "node:crypto";
import { z } from "zod";
import { text } from "./text";

export const PUSH_ENDPOINT_MAX = 1024;

/** The shape only; which hosts and addresses are allowed is the server's policy (lib/push/endpoint-policy, checked on subscribe). */
export function endpointShapeProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not carry user info";
  return null;
}

/** An uncompressed P-256 point (what the browser's p256dh is); a bad one could never be encrypted to. */
function isP256Point(b64: string) {
  const point = Buffer.from(b64, "base64url");
  if (point.length !== 65 || point[0] !== 4) return false;
  try {
    createPublicKey({ key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") }, format: "jwk" });
    return true;
  } catch {
    return false;
  }
}

/** `PushSubscription.toJSON()` from the browser, plus an optional device name. */
export const pushSubscriptionSchema = z
  .strictObject({
    endpoint: text()
      .max(PUSH_ENDPOINT_MAX, `must be at most ${PUSH_ENDPOINT_MAX} characters`)
      .regex(/^https?:\/\//, "must be an https URL")
      .superRefine((s, ctx) => {
        const problem = endpointShapeProblem(s);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .meta({ description: "https on a push service this server accepts (HERALD_PUSH_SERVICES: by default the ones Chrome, Firefox, Safari and Edge use); anything else is 400" }),
    expirationTime: z.number().int().nonnegative().nullable().optional(),
    keys: z.object({
      p256dh: z
        .string()
        .regex(/^[A-Za-z0-9_-]{87}$/, "must be the 65-byte P-256 key, base64url")
        .refine(isP256Point, "must be a point on the P-256 curve"),
      auth: z.string().regex(/^[A-Za-z0-9_-]{22}$/, "must be the 16-byte auth secret, base64url"),
    }),
    name: text().trim().min(1).max(100).optional(),
  })
  .meta({ id: "PushSubscriptionInput" });
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;

export const pushSubscriptionIdSchema = z.uuid({ message: "must be a subscription id" });

export const pushDeviceSchema = z
  .object({ id: z.uuid(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() })
  .meta({ id: "PushDevice" });
export const pushDeviceListSchema = z.object({ items: z.array(pushDeviceSchema) }).meta({ id: "PushDeviceList" });
export const vapidKeySchema = z.object({ publicKey: z.string() }).meta({ id: "VapidPublicKey" });

export const presenceSchema = z
  .strictObject({ tabId: text().min(8).max(64).regex(/^[\w-]+$/, "must be letters, digits, - or _"), visible: z.boolean() })
  .meta({ id: "Presence" });
