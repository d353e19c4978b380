"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { db } from "@/db";
import { createUser } from "@/db/queries/users";
import { signIn } from "@/lib/auth";
import { hashPassword } from "@/lib/auth/password";
import { signUpOpen } from "@/lib/auth/signup";
import { SignInThrottled, hitSignUpThrottle, signUpThrottledMessage, throttledMessage } from "@/lib/auth/throttle";
import { sendVerificationEmailLater } from "@/lib/auth/verification";
import { clientIpKey } from "@/lib/http/client-ip";
import { signInSchema, signUpSchema } from "@/lib/validations/auth";

export type AuthFormState = { error?: string; fields?: Record<string, string> } | undefined;

function safeRedirect(value: FormDataEntryValue | null) {
  const to = typeof value === "string" ? value : "";
  return to.startsWith("/") && !to.startsWith("//") ? to : "/chat";
}

async function signInOrError(email: string, password: string, redirectTo: string): Promise<AuthFormState> {
  try {
    await signIn("credentials", { email, password, redirectTo });
  } catch (err) {
    if (err instanceof SignInThrottled) return { error: throttledMessage(err.retryAfterSeconds), fields: { email } };
    if (err instanceof AuthError) return { error: "Wrong email or password.", fields: { email } };
    throw err; // the redirect after a successful sign-in
  }
}

export async function signInAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  if (!parsed.success) return { error: parsed.error.issues[0].message, fields: { email: String(form.get("email") ?? "") } };
  return signInOrError(parsed.data.email, parsed.data.password, safeRedirect(form.get("redirectTo")));
}

export async function signUpAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  // The page hides the form when sign-up is closed, but an action is a public endpoint of its own.
  if (!signUpOpen()) return { error: "Sign-up is closed on this Herald. Ask an admin for an account." };
  const fields = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
  const parsed = signUpSchema.safeParse({ ...fields, password: form.get("password") });
  if (!parsed.success) return { error: parsed.error.issues[0].message, fields };
  const wait = await hitSignUpThrottle(clientIpKey(await headers()));
  if (wait !== null) return { error: signUpThrottledMessage(wait), fields };
  const user = await createUser(db, {
    name: parsed.data.name,
    email: parsed.data.email,
    passwordHash: await hashPassword(parsed.data.password),
  });
  if (!user) return { error: "An account with that email already exists.", fields };
  // Signed in at once, as a member until the emailed link is followed (the banner offers a resend).
  sendVerificationEmailLater(user);
  return signInOrError(parsed.data.email, parsed.data.password, "/chat");
}
