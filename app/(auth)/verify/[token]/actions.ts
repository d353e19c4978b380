"use server";

import { redirect } from "next/navigation";
import { resendVerificationEmail, verifyEmail } from "@/lib/auth/verification";
import { requireUser } from "@/lib/auth/session";
import { failure, type ActionResult } from "@/lib/http/action";

export type VerifyState = { verified: boolean } | undefined;

/**
 * The verification page's button: uses the link up and goes to /verified (the link's own page shows
 * it as not valid from now on); a used, expired or garbled one verifies nothing.
 */
export async function verifyEmailAction(_prev: VerifyState, form: FormData): Promise<VerifyState> {
  const token = form.get("token");
  if (typeof token === "string" && (await verifyEmail(token))) redirect("/verified");
  return { verified: false };
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
