import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { signInScope, throttledMessage } from "@/lib/auth/throttle";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/respond";

export const { GET } = handlers;

/**
 * Auth.js answers a refused sign-in with a redirect carrying only an error code; a throttled one is
 * answered here instead, as every other limit is: 429 with Retry-After.
 */
export async function POST(request: NextRequest) {
  const scope: { retryAfterSeconds?: number } = {};
  const response = await signInScope.run(scope, () => handlers.POST(request));
  const seconds = scope.retryAfterSeconds;
  if (seconds === undefined) return response;
  return errorResponse(
    new AppError("rate_limited", throttledMessage(seconds), { details: { retryAfterSeconds: seconds }, headers: { "Retry-After": String(seconds) } }),
  );
}
