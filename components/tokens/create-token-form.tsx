"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import { createTokenAction, type CreateTokenState } from "@/app/(app)/settings/tokens/actions";
import { CATEGORY_META } from "@/components/notifications/meta";
import { SecretOnce } from "@/components/ui/secret-once";
import { SubmitButton } from "@/components/ui/submit-button";
import { NOTIFICATION_CATEGORIES } from "@/lib/notifications/constants";

const field =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 dark:border-zinc-700 dark:bg-zinc-950";

/** `admin`: may choose a token that reaches other users (the server checks again). */
export function CreateTokenForm({ admin }: { admin: boolean }) {
  const [state, action, pending] = useActionState<CreateTokenState, FormData>(createTokenAction, null);
  const form = useRef<HTMLFormElement>(null);
  // Cleared once a token is made; a refusal keeps what was typed and ticked. (Submitted through
  // `action` alone, React would reset the form after every answer. Without JavaScript the form
  // still posts to the action.)
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => action(data));
  };
  return (
    <section className="space-y-4 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 className="font-semibold">New token</h2>
      <form ref={form} action={action} onSubmit={submit} className="space-y-3">
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <label className="block flex-1 space-y-1 text-sm font-medium">
            <span>Token name</span>
            <input name="name" required maxLength={80} placeholder="billing-service" className={field} />
          </label>
          {admin ? (
            <label className="block space-y-1 text-sm font-medium">
              <span>Can notify</span>
              <select name="scope" defaultValue="self" className={field}>
                <option value="self">Only me</option>
                <option value="users">Any user</option>
              </select>
            </label>
          ) : null}
          <SubmitButton pending={pending} pendingLabel="Creating…">
            Create token
          </SubmitButton>
        </div>
        <fieldset className="text-sm">
          <legend className="mb-1 font-medium">Categories it may send (none ticked: all)</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {NOTIFICATION_CATEGORIES.map((c) => (
              <label key={c} className="flex items-center gap-1.5">
                <input type="checkbox" name="categories" value={c} className="accent-indigo-600" />
                {CATEGORY_META[c].label}
              </label>
            ))}
          </div>
        </fieldset>
        {admin ? null : <p className="text-xs text-zinc-500 dark:text-zinc-400">Your tokens notify only you. Ask an admin for a token that reaches other people.</p>}
      </form>
      {state && !state.ok ? (
        <p role="alert" className="text-sm text-red-600">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? (
        <SecretOnce key={state.secret} heading={`Copy the secret of “${state.name}” now: it is shown only this once.`} label="New token secret" secret={state.secret} />
      ) : null}
    </section>
  );
}
