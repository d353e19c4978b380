"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useState, useTransition } from "react";
import { toast } from "sonner";
import {
  addSigningKeyAction,
  createAppAction,
  createAppTokenAction,
  deleteAppAction,
  removeSigningKeyAction,
  updateAppAction,
  type SecretState,
} from "@/app/(app)/settings/apps/actions";
import { SecretOnce } from "@/components/ui/secret-once";
import { SubmitButton } from "@/components/ui/submit-button";

const field =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 dark:border-zinc-700 dark:bg-zinc-950";
const card = "space-y-4 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900";
const ORIGINS_HINT = "One per line, exactly as browsers send them: https://shop.example or http://localhost:4100 (no path, no wildcard).";

function Problem({ state }: { state: { ok: boolean; error?: string } | null }) {
  return state && !state.ok ? (
    <p role="alert" className="text-sm text-red-600">
      {state.error}
    </p>
  ) : null;
}

function Secret({ state }: { state: SecretState }) {
  if (!state?.ok) return null;
  const heading =
    state.kind === "app-token"
      ? `Copy the app token “${state.label}” now: it is shown only this once. Your server sends it as Authorization: Bearer.`
      : `Copy the secret of signing key ${state.label} now: it is shown only this once. Your server signs subscriber tokens with it.`;
  return <SecretOnce key={state.secret} heading={heading} label={state.kind === "app-token" ? "New app token" : "New signing key secret"} secret={state.secret} />;
}

// The fields are controlled: React resets a form's uncontrolled fields after its action, which would
// wipe what was typed whenever the server refused it.
export function CreateAppForm() {
  const [name, setName] = useState("");
  const [origins, setOrigins] = useState("");
  const [state, action, pending] = useActionState<SecretState, FormData>(async (previous, form) => {
    const next = await createAppAction(previous, form);
    if (next?.ok) {
      setName("");
      setOrigins("");
    }
    return next;
  }, null);
  return (
    <section aria-labelledby="new-app" className={card}>
      <h2 id="new-app" className="font-semibold">
        New app
      </h2>
      <form action={action} className="space-y-3">
        <label className="block space-y-1 text-sm font-medium">
          <span>Name</span>
          <input name="name" required maxLength={80} placeholder="Shop" value={name} onChange={(e) => setName(e.target.value)} className={field} />
        </label>
        <label className="block space-y-1 text-sm font-medium">
          <span>Allowed origins</span>
          <textarea
            name="allowedOrigins"
            rows={3}
            placeholder={"https://shop.example\nhttp://localhost:4100"}
            value={origins}
            onChange={(e) => setOrigins(e.target.value)}
            className={`${field} font-mono`}
          />
          <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">{ORIGINS_HINT}</span>
        </label>
        <SubmitButton pending={pending} pendingLabel="Creating…">
          Create app
        </SubmitButton>
      </form>
      <Problem state={state} />
      {state?.ok ? (
        <div className="space-y-2">
          <Secret state={state} />
          <Link href={`/settings/apps/${state.appId}`} className="text-sm text-indigo-600 underline dark:text-indigo-400">
            Set up the app: tokens and keys
          </Link>
        </div>
      ) : null}
    </section>
  );
}

export function EditAppForm({ id, name: savedName, allowedOrigins }: { id: string; name: string; allowedOrigins: string[] }) {
  const [name, setName] = useState(savedName);
  const [origins, setOrigins] = useState(allowedOrigins.join("\n"));
  const [state, action, pending] = useActionState(updateAppAction, null);
  return (
    <section aria-labelledby="app-details" className={card}>
      <h2 id="app-details" className="font-semibold">
        Details
      </h2>
      <form action={action} className="space-y-3">
        <input type="hidden" name="id" value={id} />
        <label className="block space-y-1 text-sm font-medium">
          <span>Name</span>
          <input name="name" required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} className={field} />
        </label>
        <label className="block space-y-1 text-sm font-medium">
          <span>Allowed origins</span>
          <textarea name="allowedOrigins" rows={3} value={origins} onChange={(e) => setOrigins(e.target.value)} className={`${field} font-mono`} />
          <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">{ORIGINS_HINT}</span>
        </label>
        <div className="flex items-center gap-3">
          <SubmitButton pending={pending} pendingLabel="Saving…">
            Save
          </SubmitButton>
          {state?.ok && !pending ? (
            <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
              Saved
            </span>
          ) : null}
        </div>
      </form>
      <Problem state={state} />
    </section>
  );
}

export function SigningKeys({ appId, keys }: { appId: string; keys: { kid: string; createdAt: string }[] }) {
  const [state, action, pending] = useActionState<SecretState, FormData>(addSigningKeyAction, null);
  const router = useRouter();
  const [removing, startTransition] = useTransition();
  const remove = (kid: string) => {
    if (!window.confirm(`Delete signing key ${kid}? Every token it signed stops working at once, and open inboxes using one disconnect.`)) return;
    startTransition(async () => {
      const result = await removeSigningKeyAction({ appId, kid });
      if (!result.ok) toast.error(result.error);
      router.refresh();
    });
  };
  return (
    <section aria-labelledby="signing-keys" className={card}>
      <div className="space-y-1">
        <h2 id="signing-keys" className="font-semibold">
          Signing keys
        </h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Your server signs each signed-in user&apos;s subscriber token (HS256, the key id in the header&apos;s <code>kid</code>). To rotate: add a key, move
          your server to it, then delete the old one.
        </p>
      </div>
      {keys.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No signing keys: no subscriber token is accepted.</p>
      ) : (
        <ul aria-label="Signing keys" className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {keys.map((k) => (
            <li key={k.kid} aria-label={k.kid} className="flex items-center gap-3 px-3 py-2 text-sm">
              <code className="flex-1 font-mono text-xs">{k.kid}</code>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">created {new Date(k.createdAt).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" })}</span>
              <button
                type="button"
                disabled={removing}
                onClick={() => remove(k.kid)}
                aria-label={`Delete ${k.kid}`}
                className="rounded-md border border-red-300 px-3 py-1 text-xs font-medium text-red-700 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-400 dark:hover:bg-red-950"
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form action={action}>
        <input type="hidden" name="id" value={appId} />
        <SubmitButton pending={pending} pendingLabel="Adding…" tone="secondary">
          Add a signing key
        </SubmitButton>
      </form>
      <Problem state={state} />
      <Secret state={state} />
    </section>
  );
}

export function AppTokenForm({ appId }: { appId: string }) {
  const [state, action, pending] = useActionState<SecretState, FormData>(createAppTokenAction, null);
  return (
    <section aria-labelledby="app-token" className={card}>
      <div className="space-y-1">
        <h2 id="app-token" className="font-semibold">
          App token
        </h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Your server&apos;s key to <code>/api/v1/subscribers</code> and <code>/api/v1/notifications</code>: it identifies, notifies and deletes this
          app&apos;s subscribers, nobody else. Tokens are listed, and revoked, under{" "}
          <Link href="/settings/tokens" className="text-indigo-600 underline dark:text-indigo-400">
            API tokens
          </Link>
          .
        </p>
      </div>
      <form action={action} className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <input type="hidden" name="id" value={appId} />
        <label className="block flex-1 space-y-1 text-sm font-medium">
          <span>Token name</span>
          <input name="name" required maxLength={80} placeholder="shop-backend" className={field} />
        </label>
        <SubmitButton pending={pending} pendingLabel="Creating…">
          Create app token
        </SubmitButton>
      </form>
      <Problem state={state} />
      <Secret state={state} />
    </section>
  );
}

export function DeleteApp({ id, name, subscriberCount }: { id: string; name: string; subscriberCount: number }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const remove = () => {
    if (!window.confirm(`Delete “${name}”? Its keys and app tokens stop working, and its ${subscriberCount} subscribers are erased with everything of theirs.`)) return;
    startTransition(async () => {
      const result = await deleteAppAction(id);
      if (!result.ok) return void toast.error(result.error);
      router.push("/settings/apps");
    });
  };
  return (
    <section aria-labelledby="delete-app" className="space-y-3 rounded-xl border border-red-200 p-5 dark:border-red-900">
      <h2 id="delete-app" className="font-semibold text-red-700 dark:text-red-400">
        Delete this app
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Erases its {subscriberCount} subscribers and all their notifications. It cannot be undone.</p>
      <button type="button" onClick={remove} disabled={pending} className="rounded-lg bg-red-600 px-4 py-2 text-sm font-semibold text-white hover:bg-red-500 disabled:opacity-60">
        {pending ? "Deleting…" : `Delete ${name}`}
      </button>
    </section>
  );
}
