import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";

/** Every error body: `{error: {code, message, details?}}` (the shape errorResponse writes). */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string().meta({ description: "For people: says what to change" }),
      details: z.unknown().optional().meta({ description: "Per-field problems for validation errors, and other specifics" }),
    }),
  })
  .meta({ id: "Error" });

/** What parseWith puts in `details`: one entry per invalid field, `path` dotted ("to.3", "" for the whole input). */
const validationDetailsSchema = z
  .array(z.object({ path: z.string(), message: z.string() }))
  .min(1)
  .meta({ id: "ValidationDetails" });

const message = z.string();
const only = (codes: [ErrorCode, ...ErrorCode[]], details: z.ZodType = z.unknown().optional()) =>
  z.object({ code: z.enum(codes), message, details });

type ErrorStatus = { description: string; error: z.ZodType; headers?: Record<string, { description: string; type: "string" | "integer" }> };

/**
 * Each error status an operation may answer, with the codes it carries there. A handler that starts
 * answering a new code under a status must add it here: the generated-requests test checks every
 * error body against this.
 */
const STATUSES: Record<number, ErrorStatus> = {
  400: {
    description: "Invalid input: `validation_error` lists each field in `details`; `invalid_json`; `bad_request` (e.g. a room with yourself)",
    error: z.union([
      z.object({ code: z.literal("validation_error"), message, details: validationDetailsSchema }),
      only(["invalid_json", "bad_request"]),
    ]),
  },
  401: {
    description: "Not signed in; or a missing, malformed, unknown or revoked token (with `WWW-Authenticate: Bearer`)",
    error: only(["unauthorized", "invalid_token"]),
  },
  403: {
    description:
      "`forbidden`: a cookie-authenticated unsafe request from another site (no `Sec-Fetch-Site: same-origin` and no Origin of this site); or beyond your role or the token's scope: `recipient_not_allowed`, `actor_not_allowed`, `category_not_allowed`, `scope_not_allowed`",
    error: only(["forbidden", "recipient_not_allowed", "actor_not_allowed", "category_not_allowed", "scope_not_allowed"]),
  },
  404: { description: "Not found, or not yours (no existence leaks), or expired", error: only(["not_found"]) },
  405: {
    description: "Method not supported on this path",
    error: only(["method_not_allowed"]),
    headers: { Allow: { description: "The methods this path supports", type: "string" } },
  },
  409: { description: "`limit_reached` (25 active tokens) or `conflict` (the same Idempotency-Key still in progress)", error: only(["limit_reached", "conflict"]) },
  413: { description: "Body larger than the documented limit", error: only(["payload_too_large"]) },
  415: { description: "Body is not application/json", error: only(["unsupported_media_type"]) },
  422: {
    description: "Well-formed but names a user that does not exist (`details.unknown` lists them), or reuses an Idempotency-Key with another body",
    error: z.union([
      z.object({ code: z.literal("unknown_recipients"), message, details: z.object({ unknown: z.array(z.string()).min(1) }) }),
      only(["unknown_actor", "idempotency_key_reused"]),
    ]),
  },
  429: {
    description: "Rate limited: retry after `Retry-After` seconds",
    error: only(["rate_limited"]),
    headers: { "Retry-After": { description: "Seconds until the window resets", type: "integer" } },
  },
  503: { description: "A part this needs is not set up on this server (push without VAPID keys)", error: only(["unavailable"]) },
};

export const ERROR_STATUSES = Object.keys(STATUSES).map(Number);

type Json = Record<string, unknown>;

/** `components.responses`: one per status (`Error400`…), each naming only the codes it may carry. */
export function errorResponses(toJson: (s: z.ZodType) => Json): Json {
  return Object.fromEntries(
    Object.entries(STATUSES).map(([status, s]) => [
      `Error${status}`,
      {
        description: s.description,
        ...(s.headers
          ? { headers: Object.fromEntries(Object.entries(s.headers).map(([h, v]) => [h, { description: v.description, schema: { type: v.type } }])) }
          : {}),
        content: { "application/json": { schema: toJson(z.object({ error: s.error })) } },
      },
    ]),
  );
}

export const errorRef = (status: number) => {
  if (!STATUSES[status]) throw new Error(`no error response is defined for ${status}`);
  return { $ref: `#/components/responses/Error${status}` };
};
