"use client";

import { useRouter } from "next/navigation";
import { useActionState, useTransition } from "react";
import { toast } from "sonner";
import {
  createWebhookAction,
  deleteWebhookAction,
  replayWebhookAction,
  setWebhookEnabledAction,
  testWebhookAction,
  type WebhookSecretState,
} from "@/app/(app)/settings/apps/webhook-actions";
import { SecretOnce } from "@/components/ui/secret-once";
import { SubmitButton } from "@/components/ui/submit-button";
import type { WebhookAttemptDTO, WebhookDTO } from "@/lib/validations/webhooks";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";

export type WebhookWithAttempts = WebhookDTO & { attempts: WebhookAttemptDTO[] };

const field =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 dark:border-zinc-700 dark:bg-zinc-950";
const small = "rounded-md border border-zinc-300 px-3 py-1 text-xs font-medium hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-800";
const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

/** Runs a server action, then shows the page's fresh data (or the action's error). */
function useRun() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const run = (act: () => Promise<{ ok: boolean; error?: string }>, done?: string) =>
    start(async () => {
      const result = await act();
      if (!result.ok) return void toast.error(result.error);
      if (done) toast.success(done);
      router.refresh();
    });
  return { pending, run };
}

function Outcome({ a }: { a: WebhookAttemptDTO }) {
  const ok = a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;
  return <span className={ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}>{a.statusCode ?? a.error}</span>;
}

function Endpoint({ appId, hook }: { appId: string; hook: WebhookWithAttempts }) {
  const { pending, run } = useRun();
  const target = { appId, id: hook.id };
  return (
    <li aria-label={hook.url} className="space-y-3 px-3 py-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <code className="flex-1 break-all font-mono text-xs">{hook.url}</code>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{hook.enabled ? "enabled" : "disabled"}</span>
        <button type="button" className={small} disabled={pending || !hook.enabled} onClick={() => run(() => testWebhookAction(target), "Test event queued")}>
          Send test event
        </button>
        <button type="button" className={small} disabled={pending} onClick={() => run(() => setWebhookEnabledAction({ ...target, enabled: !hook.enabled }))}>
          {hook.enabled ? "Disable" : "Enable"}
        </button>
        <button
          type="button"
          className={`${small} border-red-300 text-red-700 dark:border-red-800 dark:text-red-400`}
          disabled={pending}
          onClick={() => window.confirm(`Delete the webhook to ${hook.url}?`) && run(() => deleteWebhookAction(target))}
        >
          Delete
        </button>
      </div>
      {hook.disabledAt ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800 dark:bg-red-950 dark:text-red-300">
          Herald disabled this endpoint on {when(hook.disabledAt)}: it had failed for 5 days straight. Fix the receiver, then enable it: what was pending goes out.
        </p>
      ) : hook.failingSince ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">Failing since {when(hook.failingSince)}; disabled after 5 days of failures.</p>
      ) : null}
      <p className="text-xs text-zinc-500 dark:text-zinc-400">{hook.events.join(", ")}</p>
      {hook.attempts.length === 0 ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">No attempts yet.</p>
      ) : (
        <table aria-label={`Last attempts to ${hook.url}`} className="w-full text-left text-xs">
          <thead className="text-zinc-500 dark:text-zinc-400">
            <tr>
              <th className="py-1 font-medium">Event</th>
              <th className="font-medium">Result</th>
              <th className="font-medium">Try</th>
              <th className="font-medium">Time</th>
              <th className="font-medium">Next retry</th>
              <th className="font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {hook.attempts.map((a) => (
              <tr key={a.id} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className="py-1">
                  <code>{a.eventId}</code> {a.type}
                </td>
                <td>
                  <Outcome a={a} />
                </td>
                <td>{a.attempt}</td>
                <td>{a.durationMs} ms</td>
                <td>{a.nextRetryAt ? when(a.nextRetryAt) : "—"}</td>
                <td className="text-right">
                  <button type="button" className={small} disabled={pending || !hook.enabled} aria-label={`Replay ${a.eventId}`} onClick={() => run(() => replayWebhookAction({ ...target, eventId: a.eventId }), "Replay queued")}>
                    Replay
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

export function WebhooksSection({ appId, hooks }: { appId: string; hooks: WebhookWithAttempts[] }) {
  const [state, action, pending] = useActionState<WebhookSecretState, FormData>(createWebhookAction, null);
  return (
    <section aria-labelledby="webhooks" className="space-y-4 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="space-y-1">
        <h2 id="webhooks" className="font-semibold">
          Webhooks
        </h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Herald POSTs what this app&apos;s subscribers did, signed with Standard Webhooks (verify with <code>verifyWebhook</code> from <code>herald-server</code>).
        </p>
      </div>
      {hooks.length > 0 ? (
        <ul aria-label="Webhook endpoints" className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {hooks.map((h) => (
            <Endpoint key={h.id} appId={appId} hook={h} />
          ))}
        </ul>
      ) : null}
      <form action={action} className="space-y-3">
        <input type="hidden" name="appId" value={appId} />
        <label className="block space-y-1 text-sm font-medium">
          <span>Endpoint URL</span>
          <input name="url" type="url" required placeholder="https://shop.example/hooks/herald" className={field} />
        </label>
        <fieldset className="space-y-1 text-sm">
          <legend className="font-medium">Events</legend>
          <div className="grid grid-cols-1 gap-1 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-center gap-2">
                <input type="checkbox" name="events" value={type} defaultChecked />
                <code className="text-xs">{type}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <SubmitButton pending={pending} pendingLabel="Adding…">
          Add endpoint
        </SubmitButton>
      </form>
      {state && !state.ok ? (
        <p role="alert" className="text-sm text-red-600">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? <SecretOnce key={state.secret} heading={`Copy the signing secret of ${state.url} now: it is shown only this once.`} label="New webhook secret" secret={state.secret} /> : null}
    </section>
  );
}
