"use client";

import { useActionState } from "react";
import { deleteAccountAction, type AccountFormState } from "@/app/(app)/settings/account/actions";
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
        <button
          type="submit"
          disabled={pending}
          className="justify-self-start rounded-lg bg-red-600 px-4 py-2 text-sm font-semibold text-white hover:bg-red-500 disabled:opacity-60"
        >
          {pending ? "Deleting…" : "Delete my account"}
        </button>
        <FormMessage state={state} />
      </form>
    </section>
  );
}
