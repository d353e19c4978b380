"use client";

import { useActionState } from "react";
import { deleteAccountAction, type AccountFormState } from "@/app/(app)/settings/account/actions";
import { SubmitButton } from "@/components/ui/submit-button";
import { FormMessage } from "./form-message";
import { field } from "./styles";

export function DeleteAccountForm() {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(deleteAccountAction, null);
  return (
    <section aria-labelledby="delete-account" className="space-y-4 rounded-xl border border-red-200 bg-white p-5 dark:border-red-900 dark:bg-zinc-900">
      <div className="space-y-1">
        <h2 id="delete-account" className="font-semibold text-red-700 dark:text-red-400">
          Delete account
        </h2>
        <p className="text-sm text-zinc-500">
          Deletes your account, notifications, conversations, tokens and settings for good, and signs you out everywhere.
        </p>
      </div>
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
    </section>
  );
}
