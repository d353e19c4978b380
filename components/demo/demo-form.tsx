"use client";

import { useState } from "react";
import { toast } from "sonner";
import { NOTIFICATION_CATEGORIES, NOTIFICATION_PRIORITIES } from "@/lib/notifications/constants";
import { fetchJson } from "@/components/notifications/api";
import type { NotificationDTO } from "@/lib/notifications/dto";

const field =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 dark:border-zinc-700 dark:bg-zinc-950";

export function DemoForm() {
  const [pending, setPending] = useState(false);

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    setPending(true);
    try {
      await fetchJson<NotificationDTO>("/api/notifications/test", {
        method: "POST",
        body: JSON.stringify({
          title: data.get("title"),
          body: data.get("body"),
          category: data.get("category"),
          priority: data.get("priority"),
        }),
      });
    } catch (err) {
      toast.error(err instanceof Error ? err.message : "Could not send");
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      className="space-y-4 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(e.currentTarget);
      }}
    >
      <h1 className="text-lg font-semibold">Send a test notification</h1>
      <p className="text-sm text-zinc-500">It is written to the database and comes back to you live over the stream.</p>
      <label className="block space-y-1 text-sm font-medium">
        <span>Title</span>
        <input name="title" required maxLength={200} defaultValue="Hello from Herald" className={field} />
      </label>
      <label className="block space-y-1 text-sm font-medium">
        <span>Body</span>
        <textarea name="body" maxLength={20000} rows={3} defaultValue="This arrived through Postgres LISTEN/NOTIFY." className={field} />
      </label>
      <div className="grid grid-cols-2 gap-3">
        <label className="block space-y-1 text-sm font-medium">
          <span>Category</span>
          <select name="category" defaultValue="general" className={field}>
            {NOTIFICATION_CATEGORIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="block space-y-1 text-sm font-medium">
          <span>Priority</span>
          <select name="priority" defaultValue="normal" className={field}>
            {NOTIFICATION_PRIORITIES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? "Sending…" : "Send notification"}
      </button>
    </form>
  );
}
