"use client";

import { useActionState } from "react";
import { signOutEverywhereAction, type AccountFormState } from "@/app/(app)/settings/account/actions";
import { SubmitButton } from "@/components/ui/submit-button";
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
        <SubmitButton pending={pending} pendingLabel="Signing out…" tone="secondary">
          Sign out everywhere
        </SubmitButton>
      </form>
      <FormMessage state={state} />
    </section>
  );
}
