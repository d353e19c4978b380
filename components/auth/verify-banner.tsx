"use client";

import { useState, useTransition } from "react";
import { resendVerificationAction } from "@/app/(auth)/verify/[token]/actions";

/** Shown to a signed-in person whose address is not verified yet: no email, no admin role until it is. */
export function VerifyBanner({ email }: { email: string }) {
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const resend = () =>
    startTransition(async () => {
      const result = await resendVerificationAction();
      setMessage(result.ok ? `A new link is on its way to ${email}.` : result.error);
    });
  return (
    <div role="region" aria-label="Email verification" className="border-b border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm sm:px-4">
        <p>
          Verify your email address: open the link we sent to <span className="font-medium">{email}</span>. Until then you get no
          email notifications.
        </p>
        <button
          type="button"
          onClick={resend}
          disabled={pending}
          className="rounded-md border border-amber-300 bg-white px-2.5 py-1 font-medium text-amber-900 hover:bg-amber-100 disabled:opacity-60 dark:border-amber-700 dark:bg-amber-900 dark:text-amber-50 dark:hover:bg-amber-800"
        >
          {pending ? "Sending…" : "Resend"}
        </button>
        {message ? (
          <p role="status" className="w-full sm:w-auto">
            {message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
