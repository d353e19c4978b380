// Every code a response may carry (also the enum of the error schema in the OpenAPI document).
export const ERROR_CODES = [
  "bad_request",
  "validation_error",
  "invalid_json",
  "unauthorized",
  "invalid_token",
  "forbidden",
  "recipient_not_allowed",
  "actor_not_allowed",
  "category_not_allowed",
  "scope_not_allowed",
  "not_found",
  "method_not_allowed",
  "conflict",
  "idempotency_key_reused",
  "unknown_recipients",
  "unknown_actor",
  "limit_reached",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "unavailable",
  "internal_error",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error meant for the client: status + `{error:{code,message,details?}}`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "Resource") => new AppError(404, "not_found", `${what} not found`);
export const unauthorized = () => new AppError(401, "unauthorized", "Sign in to continue");
