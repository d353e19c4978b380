"use client";

import { useActionState } from "react";
import { changePasswordAction, type AccountFormState } from "@/app/(app)/settings/account/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { FormMessage } from "./form-message";
import { card, field } from "./styles";

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(changePasswordAction, null);
  return (
    <section aria-labelledby="change-password" className={card}>
      <div className="space-y-1">
        <h2 id="change-password" className="font-semibold">
          Change password
        </h2>
        <p className="text-sm text-zinc-500">Every other device is signed out; this browser stays signed in.</p>
      </div>
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
    </section>
  );
}
