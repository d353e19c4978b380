"use client";

import { useActionState } from "react";
import { deleteAccountAction, type AccountFormState } from "@/app/(app)/settings/account/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { AccountSection } from "./account-section";
import { FormMessage } from "./form-message";
import { field } from "./styles";

export function DeleteAccountForm() {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(deleteAccountAction, null);
  return (
    <AccountSection id="delete-account" title="Delete account" danger description="Deletes your account, notifications, conversations, tokens and settings for good, and signs you out everywhere.">
      <form action={action} className="grid gap-3 sm:max-w-sm">
        <label className="block space-y-1 text-sm font-medium">
          <span>Password to confirm</span>
          <input name="password" type="password" required autoComplete="current-password" className={field} />
        </label>
        <SubmitButton pending={pending} pendingLabel="Deleting…" tone="danger" className="justify-self-start">
          Delete my account
        </SubmitButton>
        <FormMessage state={state} />
      </form>
    </AccountSection>
  );
}
