"use server";

import { cookies, headers } from "next/headers";
import { after } from "next/server";
import { signIn, signOut } from "@/lib/auth";
import { changePassword, deleteAccount, endReplacedSession, signOutEverywhere } from "@/lib/auth/account";
import { requireUser } from "@/lib/auth/session";
import { SignInThrottled, throttledMessage } from "@/lib/auth/throttle";
import { sessionFromHeaders } from "@/lib/auth/token-session";
import { failure, type ActionResult } from "@/lib/http/action";
import { clientIpKey } from "@/lib/http/client-ip";
import { changePasswordSchema, deleteAccountSchema } from "@/lib/validations/auth";

export type AccountFormState = ActionResult<null> | null;

function refused(err: unknown, what: string): { ok: false; error: string } {
  if (err instanceof SignInThrottled) return { ok: false, error: throttledMessage(err.retryAfterSeconds) };
  return failure(err, what);
}

/** Revokes every session of this user, on every device, and signs this browser out. */
export async function signOutEverywhereAction(): Promise<AccountFormState> {
  try {
    const user = await requireUser();
    await signOutEverywhere(user.id);
  } catch (err) {
    return failure(err, "sign out everywhere");
  }
  await signOut({ redirectTo: "/signin" });
  return null;
}

/** Every session of the user is revoked; this browser is signed in again with a fresh one. */
export async function changePasswordAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  try {
    const user = await requireUser();
    const parsed = changePasswordSchema.safeParse({ currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword") });
    if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
    const requestHeaders = await headers();
    const current = await sessionFromHeaders(requestHeaders);
    if (!current || current.userId !== user.id) return { ok: false, error: "Sign in to continue" };
    await changePassword(user, parsed.data, { ip: clientIpKey(requestHeaders), currentSessionId: current.sessionId });
    // This browser's old session ends once the response (and its new session cookie) has gone out:
    // ending it earlier would end this browser's stream, whose reconnect could beat the new cookie
    // and land on the sign-in page.
    let next: string | null = null;
    after(() => endReplacedSession(user.id, current.sessionId, next));
    await signIn("credentials", { email: user.email, password: parsed.data.newPassword, redirect: false });
    // The new session's cookie, which signIn just set (an action's cookies() reads what it set).
    const jar = await cookies();
    const fresh = await sessionFromHeaders(new Headers({ cookie: jar.getAll().map((c) => `${c.name}=${c.value}`).join("; ") }));
    next = fresh?.userId === user.id && fresh.sessionId !== current.sessionId ? fresh.sessionId : null;
    return { ok: true, data: null };
  } catch (err) {
    return refused(err, "password change");
  }
}

/** Deletes the account (confirmed with the password) and signs out. */
export async function deleteAccountAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  try {
    const user = await requireUser();
    const parsed = deleteAccountSchema.safeParse({ password: form.get("password") });
    if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
    await deleteAccount(user, parsed.data.password, clientIpKey(await headers()));
  } catch (err) {
    return refused(err, "account deletion");
  }
  await signOut({ redirectTo: "/signin" });
  return null;
}
