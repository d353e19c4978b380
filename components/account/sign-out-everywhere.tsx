"use client";

import { useActionState } from "react";
import { signOutEverywhereAction, type AccountFormState } from "@/app/(app)/settings/account/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { AccountSection } from "./account-section";
import { FormMessage } from "./form-message";

export function SignOutEverywhere({ activeSessions }: { activeSessions: number }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(signOutEverywhereAction, null);
  const where = activeSessions === 1 ? "browser or device" : "browsers or devices";
  const description = `You are signed in on ${activeSessions} ${where}. Signing out everywhere ends all of them, this one included, within seconds.`;
  return (
    <AccountSection id="sessions" title="Sessions" description={description}>
      <form action={action}>
        <SubmitButton pending={pending} pendingLabel="Signing out…" tone="secondary">
          Sign out everywhere
        </SubmitButton>
      </form>
      <FormMessage state={state} />
    </AccountSection>
  );
}
