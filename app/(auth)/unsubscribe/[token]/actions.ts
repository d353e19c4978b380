"use server";

import { redirect } from "next/navigation";
import { db } from "@/db";
import { getUserById } from "@/db/queries/users";
import { verifyUnsubscribeToken } from "@/lib/email/unsubscribe";
import { unsubscribeEmail } from "@/lib/preferences/service";

/** The confirmation page's button: the same change as the one-click POST, then back to the page. */
export async function unsubscribeAction(form: FormData) {
  const token = String(form.get("token") ?? "");
  const claims = verifyUnsubscribeToken(token);
  if (claims && (await getUserById(db, claims.userId))) await unsubscribeEmail(claims.userId, claims.scope);
  redirect(`/unsubscribe/${encodeURIComponent(token)}`);
}
