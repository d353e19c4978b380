"use client";

import { useActionState } from "react";
import { changePasswordAction, type AccountFormState } from "@/app/(app)/settings/account/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { AccountSection } from "./account-section";
import { FormMessage } from "./form-message";
import { field } from "./styles";

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(changePasswordAction, null);
  return (
    <AccountSection id="change-password" title="Change password" description="Every other device is signed out; this browser stays signed in.">
      <form action={action} className="grid gap-3 sm:max-w-sm">
        <label className="block space-y-1 text-sm font-medium">
          <span>Current password</span>
          <input name="currentPassword" type="password" required autoComplete="current-password" className={field} />
        </label>
        <label className="block space-y-1 text-sm font-medium">
          <span>New password</span>
          <input name="newPassword" type="password" required minLength={8} maxLength={200} autoComplete="new-password" className={field} />
        </label>
        <SubmitButton pending={pending} pendingLabel="Changing…" className="justify-self-start">
          Change password
        </SubmitButton>
        <FormMessage state={state} success="Password changed. Other devices have been signed out." />
      </form>
    </AccountSection>
  );
}
