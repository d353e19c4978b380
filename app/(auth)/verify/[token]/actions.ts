"use server";

import { resendVerificationEmail, verifyEmail } from "@/lib/auth/verification";
import { requireUser } from "@/lib/auth/session";
import { failure, type ActionResult } from "@/lib/http/action";

export type VerifyState = { verified: boolean } | undefined;

/** The verification page's button: uses the link up; a used, expired or garbled one verifies nothing. */
export async function verifyEmailAction(_prev: VerifyState, form: FormData): Promise<VerifyState> {
  const token = form.get("token");
  return { verified: typeof token === "string" && (await verifyEmail(token)) };
}

/** The banner's "Resend": a new link for the signed-in person's address (rate limited per user). */
export async function resendVerificationAction(): Promise<ActionResult<null>> {
  try {
    await resendVerificationEmail(await requireUser());
    return { ok: true, data: null };
  } catch (err) {
    return failure(err, "verification resend");
  }
}
