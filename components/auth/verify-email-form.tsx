"use client";

import Link from "next/link";
import { useActionState } from "react";
import { verifyEmailAction } from "@/app/(auth)/verify/[token]/actions";

const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

/** The button of the verification page; works without JavaScript too (a plain form POST). */
export function VerifyEmailForm({ token, email }: { token: string; email: string }) {
  const [state, formAction, pending] = useActionState(verifyEmailAction, undefined);
  if (state) {
    return (
      <p role="alert" className="text-sm text-zinc-600 dark:text-zinc-400">
        Link not valid: it was used already or it expired.{" "}
        <Link href="/chat" className={link}>
          Sign in
        </Link>{" "}
        to send a new one.
      </p>
    );
  }
  return (
    <form action={formAction} className="space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Confirm that {email} is your address.</p>
      <input type="hidden" name="token" value={token} />
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        {pending ? "Please wait…" : "Verify my email"}
      </button>
    </form>
  );
}
