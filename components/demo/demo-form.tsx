"use client";

import { useId, useState } from "react";
import { toast } from "sonner";
import type { NotificationCategory, NotificationPriority } from "@/db/schema";
import { NOTIFICATION_CATEGORIES, NOTIFICATION_PRIORITIES } from "@/lib/notifications/constants";
import { fetchJson } from "@/sdk/client/src/api";
import { CATEGORY_META, PRIORITY_META } from "@/components/notifications/meta";
import { SendIcon, ZapIcon } from "@/components/ui/icons";

type Person = { name: string; email: string };
type Draft = {
  title: string;
  body: string;
  category: NotificationCategory;
  priority: NotificationPriority;
  actionUrl: string;
  actionLabel: string;
  expiresIn: string;
};

const EXPIRY = [
  { value: "", label: "Never" },
  { value: "30", label: "In 30 seconds" },
  { value: "120", label: "In 2 minutes" },
  { value: "600", label: "In 10 minutes" },
  { value: "3600", label: "In 1 hour" },
  { value: "86400", label: "In 1 day" },
];

const PRESETS: { name: string; draft: Draft }[] = [
  {
    name: "Deploy finished",
    draft: { title: "Deploy finished", body: "main@4f2c1e is live on production.", category: "system", priority: "normal", actionUrl: "/notifications", actionLabel: "View", expiresIn: "" },
  },
  {
    name: "Urgent incident",
    draft: { title: "Database CPU at 98%", body: "The primary has been above 95% for 5 minutes.", category: "system", priority: "urgent", actionUrl: "https://status.example.com", actionLabel: "Open status", expiresIn: "" },
  },
  {
    name: "Report ready",
    draft: { title: "Your March export is ready", body: "1,204 rows, 3 sheets.", category: "report", priority: "high", actionUrl: "/notifications", actionLabel: "Download", expiresIn: "" },
  },
  {
    name: "Expiring offer",
    draft: { title: "Review request expires soon", body: "Approve or decline before it lapses.", category: "task", priority: "normal", actionUrl: "", actionLabel: "", expiresIn: "30" },
  },
  {
    name: "HTML in the body",
    draft: { title: "Injection test", body: "<img src=x onerror=alert(1)> <script>alert(2)</script>", category: "general", priority: "low", actionUrl: "", actionLabel: "", expiresIn: "" },
  },
];

const field =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20 dark:border-zinc-700 dark:bg-zinc-950";
const labelCls = "block space-y-1 text-sm font-medium";

/**
 * Every field of a notification, to yourself or (admins: `people` is the address list, null for
 * members) to someone else, once or as a burst of 10 or 100.
 */
export function DemoForm({ me, people }: { me: Person; people: Person[] | null }) {
  const [draft, setDraft] = useState<Draft>(PRESETS[0].draft);
  const [toOther, setToOther] = useState(false);
  const [recipient, setRecipient] = useState("");
  const [pending, setPending] = useState<number | null>(null);
  const listId = useId();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  async function send(count: number) {
    setPending(count);
    try {
      await fetchJson("/api/notifications/test", {
        method: "POST",
        body: JSON.stringify({
          title: draft.title,
          body: draft.body,
          category: draft.category,
          priority: draft.priority,
          ...(draft.actionUrl.trim() ? { actionUrl: draft.actionUrl.trim() } : {}),
          ...(draft.actionUrl.trim() && draft.actionLabel.trim() ? { actionLabel: draft.actionLabel.trim() } : {}),
          ...(draft.expiresIn ? { expiresInSeconds: Number(draft.expiresIn) } : {}),
          ...(toOther ? { recipientEmail: recipient.trim() } : {}),
          ...(count > 1 ? { count } : {}),
        }),
      });
      if (toOther) toast.success(count > 1 ? `Sent ${count} to ${recipient}` : `Sent to ${recipient}`, { duration: 2_500 });
    } catch (err) {
      toast.error(err instanceof Error ? `Could not send: ${err.message}` : "Could not send");
    } finally {
      setPending(null);
    }
  }

  return (
    <form
      className="space-y-4 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm sm:p-5 dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={(e) => {
        e.preventDefault();
        void send(1);
      }}
    >
      <div>
        <h1 className="text-lg font-semibold">Send a test notification</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Written to Postgres, announced by the trigger, delivered over the stream: watch it arrive in the live log.
        </p>
      </div>
      <div className="flex flex-wrap gap-1.5" role="group" aria-label="Presets">
        {PRESETS.map((p) => (
          <button
            key={p.name}
            type="button"
            onClick={() => setDraft(p.draft)}
            className="rounded-full border border-zinc-300 px-2.5 py-0.5 text-xs font-medium text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            {p.name}
          </button>
        ))}
      </div>
      {people ? (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Recipient</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="recipient" checked={!toOther} onChange={() => setToOther(false)} className="accent-indigo-600" />
              Myself <span className="text-zinc-500 dark:text-zinc-400">({me.email})</span>
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="recipient" checked={toOther} onChange={() => setToOther(true)} className="accent-indigo-600" />
              Another user
            </label>
          </div>
          {toOther ? (
            <div>
              <input
                type="email"
                required
                list={listId}
                value={recipient}
                onChange={(e) => setRecipient(e.target.value)}
                placeholder="someone@example.com"
                aria-label="Recipient email"
                className={field}
              />
              <datalist id={listId}>
                {people.map((p) => (
                  <option key={p.email} value={p.email}>
                    {p.name}
                  </option>
                ))}
              </datalist>
            </div>
          ) : null}
        </fieldset>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          To: you <span className="text-zinc-500 dark:text-zinc-400">({me.email})</span>
        </p>
      )}
      <label className={labelCls}>
        <span>Title</span>
        <input required maxLength={200} value={draft.title} onChange={(e) => set("title", e.target.value)} className={field} />
      </label>
      <label className={labelCls}>
        <span>Body</span>
        <textarea maxLength={20000} rows={3} value={draft.body} onChange={(e) => set("body", e.target.value)} className={field} />
      </label>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        <label className={labelCls}>
          <span>Category</span>
          <select value={draft.category} onChange={(e) => set("category", e.target.value as NotificationCategory)} className={field}>
            {NOTIFICATION_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_META[c].label}
              </option>
            ))}
          </select>
        </label>
        <label className={labelCls}>
          <span>Priority</span>
          <select value={draft.priority} onChange={(e) => set("priority", e.target.value as NotificationPriority)} className={field}>
            {NOTIFICATION_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_META[p].label}
              </option>
            ))}
          </select>
        </label>
        <label className={`${labelCls} col-span-2 sm:col-span-1`}>
          <span>Expires</span>
          <select value={draft.expiresIn} onChange={(e) => set("expiresIn", e.target.value)} className={field}>
            {EXPIRY.map((x) => (
              <option key={x.value} value={x.value}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[2fr_1fr]">
        <label className={labelCls}>
          <span>Action URL</span>
          <input
            value={draft.actionUrl}
            onChange={(e) => set("actionUrl", e.target.value)}
            placeholder="/chat or https://…"
            maxLength={2048}
            className={field}
          />
        </label>
        <label className={labelCls}>
          <span>Action label</span>
          <input value={draft.actionLabel} onChange={(e) => set("actionLabel", e.target.value)} placeholder="Open" maxLength={40} className={field} />
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2 pt-1">
        <button
          type="submit"
          disabled={pending !== null}
          className="inline-flex items-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60"
        >
          <SendIcon className="size-4" />
          {pending === 1 ? "Sending…" : "Send notification"}
        </button>
        {[10, 100].map((n) => (
          <button
            key={n}
            type="button"
            disabled={pending !== null || !draft.title.trim() || (toOther && !recipient.trim())}
            onClick={() => void send(n)}
            className="inline-flex items-center gap-1.5 rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm font-medium hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
          >
            <ZapIcon className="size-3.5" />
            {pending === n ? "Sending…" : `Burst of ${n}`}
          </button>
        ))}
      </div>
    </form>
  );
}
