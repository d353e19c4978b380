"use client";

import { useActionState } from "react";
import { signOutEverywhereAction, type AccountFormState } from "@/app/(app)/settings/account/actions";
import { FormMessage } from "./form-message";
import { card } from "./styles";

export function SignOutEverywhere({ activeSessions }: { activeSessions: number }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(signOutEverywhereAction, null);
  return (
    <section aria-labelledby="sessions" className={card}>
      <div className="space-y-1">
        <h2 id="sessions" className="font-semibold">
          Sessions
        </h2>
        <p className="text-sm text-zinc-500">
          You are signed in on {activeSessions} {activeSessions === 1 ? "browser or device" : "browsers or devices"}. Signing out
          everywhere ends all of them, this one included, within seconds.
        </p>
      </div>
      <form action={action}>
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg border border-zinc-300 px-4 py-2 text-sm font-semibold hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          {pending ? "Signing out…" : "Sign out everywhere"}
        </button>
      </form>
      <FormMessage state={state} />
    </section>
  );
}
