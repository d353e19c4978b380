"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { sendMessageAction } from "@/app/(app)/chat/actions";
import type { MessageDTO } from "@/lib/chat/service";
import { useRealtime } from "@/components/notifications/realtime-provider";

type Props = { roomId: string; me: string; other: { id: string; name: string }; messages: MessageDTO[] };

export function RoomView({ roomId, me, other, messages }: Props) {
  const router = useRouter();
  const { subscribe } = useRealtime();
  const [draft, setDraft] = useState("");
  const [pending, startTransition] = useTransition();
  const bottom = useRef<HTMLLIElement>(null);

  // A new message for this room arrives as our notification: re-render the server list.
  useEffect(
    () =>
      subscribe((e) => {
        const meta = (e.data as { metadata?: { roomId?: string } } | null)?.metadata;
        if (e.type === "notification.created" && meta?.roomId === roomId) router.refresh();
      }),
    [subscribe, roomId, router],
  );
  useEffect(() => {
    // Braces matter: newer Chromium returns a Promise from scrollIntoView, which React would take as cleanup.
    void bottom.current?.scrollIntoView({ block: "end" });
  }, [messages.length]);

  const send = () => {
    const body = draft.trim();
    if (!body || pending) return;
    startTransition(async () => {
      const result = await sendMessageAction(roomId, body);
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      setDraft("");
      router.refresh();
    });
  };

  return (
    <section className="flex h-[calc(100dvh-8rem)] flex-col rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <h1 className="border-b border-zinc-200 px-4 py-3 font-semibold dark:border-zinc-800">{other.name}</h1>
      <ol className="flex-1 space-y-2 overflow-y-auto px-4 py-4" aria-label="Messages">
        {messages.length === 0 ? <li className="text-center text-sm text-zinc-500">Say hello to {other.name}.</li> : null}
        {messages.map((m) => {
          const mine = m.senderId === me;
          return (
            <li key={m.id} className={`flex ${mine ? "justify-end" : "justify-start"}`}>
              <span
                className={`max-w-[75%] whitespace-pre-wrap break-words rounded-2xl px-3 py-2 text-sm ${
                  mine ? "bg-indigo-600 text-white" : "bg-zinc-100 dark:bg-zinc-800"
                }`}
              >
                {m.body}
              </span>
            </li>
          );
        })}
        <li ref={bottom} aria-hidden className="h-px" />
      </ol>
      <form
        className="flex gap-2 border-t border-zinc-200 p-3 dark:border-zinc-800"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <textarea
          aria-label="Message"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              send();
            }
          }}
          rows={1}
          maxLength={4000}
          placeholder={`Message ${other.name}`}
          className="flex-1 resize-none rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 dark:border-zinc-700 dark:bg-zinc-950"
        />
        <button
          type="submit"
          disabled={pending || !draft.trim()}
          className="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          Send
        </button>
      </form>
    </section>
  );
}
