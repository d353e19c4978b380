"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useOptimistic, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { markRoomReadAction, sendMessageAction } from "@/app/(app)/chat/actions";
import type { MessageDTO } from "@/lib/chat/service";
import { applyAction, cachedNotifications } from "@/sdk/client/src/cache";
import { useRealtime } from "@/components/notifications/realtime-provider";
import { ArrowLeftIcon, SendIcon } from "@/components/ui/icons";
import { roomOf } from "@/lib/notifications/kinds/message";
import { Avatar } from "./avatar";

type Props = { roomId: string; me: string; other: { id: string; name: string; email: string }; messages: MessageDTO[] };
type Shown = MessageDTO & { pending?: boolean };

const time = new Intl.DateTimeFormat("en", { hour: "numeric", minute: "2-digit" });
const day = new Intl.DateTimeFormat("en", { weekday: "long", month: "short", day: "numeric" });

export function RoomView({ roomId, me, other, messages }: Props) {
  const router = useRouter();
  const client = useQueryClient();
  const { subscribe } = useRealtime();
  const [draft, setDraft] = useState("");
  const [, startTransition] = useTransition();
  const [shown, addOptimistic] = useOptimistic<Shown[], Shown>(messages, (list, m) => [...list, m]);
  const bottom = useRef<HTMLLIElement>(null);

  // The room on screen reads its message notifications: on opening, on return to the tab, and as
  // new messages arrive while it is visible. The cache is updated at once; the stream confirms.
  useEffect(() => {
    const markRead = () => {
      if (document.visibilityState !== "visible") return;
      const mine = cachedNotifications(client).filter((n) => !n.readAt && roomOf(n) === roomId);
      applyAction(client, mine.map((n) => n.id), "read");
      void markRoomReadAction(roomId);
    };
    markRead();
    const off = subscribe((e) => {
      if (e.type === "notification.created" && roomOf(e.data) === roomId) markRead();
    });
    document.addEventListener("visibilitychange", markRead);
    return () => {
      off();
      document.removeEventListener("visibilitychange", markRead);
    };
  }, [client, roomId, subscribe]);

  useEffect(() => {
    // Braces matter: newer Chromium returns a Promise from scrollIntoView, which React would take as cleanup.
    void bottom.current?.scrollIntoView({ block: "end" });
  }, [shown.length]);

  const send = () => {
    const body = draft.trim();
    if (!body) return;
    // Sending never waits for the previous message: server actions run one after another, in order.
    setDraft("");
    startTransition(async () => {
      addOptimistic({ id: `pending-${Date.now()}`, roomId, senderId: me, body, createdAt: new Date().toISOString(), pending: true });
      const result = await sendMessageAction({ roomId, body });
      if (!result.ok) {
        toast.error(result.error);
        setDraft(body);
        return;
      }
      router.refresh();
    });
  };

  return (
    <section aria-labelledby="room-heading" className="flex h-[calc(100dvh-6.5rem)] flex-col overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm md:h-full dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center gap-3 border-b border-zinc-200 px-3 py-2.5 sm:px-4 dark:border-zinc-800">
        <Link href="/chat" aria-label="All conversations" className="grid size-8 place-items-center rounded-md text-zinc-500 hover:bg-zinc-100 md:hidden dark:text-zinc-400 dark:hover:bg-zinc-800">
          <ArrowLeftIcon />
        </Link>
        <Avatar name={other.name} size="sm" />
        <div className="min-w-0">
          <h1 id="room-heading" className="truncate font-semibold leading-tight">
            {other.name}
          </h1>
          <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{other.email}</p>
        </div>
      </div>
      <ol className="flex-1 space-y-1 overflow-y-auto px-3 py-4 sm:px-4" aria-label="Messages">
        {shown.length === 0 ? <li className="py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">Say hello to {other.name}.</li> : null}
        {shown.map((m, i) => {
          const mine = m.senderId === me;
          const date = new Date(m.createdAt);
          const prev = shown[i - 1];
          const newDay = !prev || new Date(prev.createdAt).toDateString() !== date.toDateString();
          const grouped = prev && !newDay && prev.senderId === m.senderId && date.getTime() - new Date(prev.createdAt).getTime() < 5 * 60_000;
          return (
            <li key={m.id} className={grouped ? "" : "pt-2"} aria-busy={m.pending ? true : undefined}>
              {newDay ? (
                <p className="pb-2 text-center text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400" suppressHydrationWarning>
                  {day.format(date)}
                </p>
              ) : null}
              <div className={`flex ${mine ? "justify-end" : "justify-start"}`}>
                <span
                  title={time.format(date)}
                  className={`max-w-[80%] whitespace-pre-wrap break-words rounded-2xl px-3 py-2 text-sm ${
                    mine ? "rounded-br-md bg-indigo-600 text-white" : "rounded-bl-md bg-zinc-100 dark:bg-zinc-800"
                  } ${m.pending ? "opacity-60" : ""}`}
                >
                  {m.body}
                </span>
              </div>
            </li>
          );
        })}
        <li ref={bottom} aria-hidden className="h-px" />
      </ol>
      <form
        className="flex items-end gap-2 border-t border-zinc-200 p-2 sm:p-3 dark:border-zinc-800"
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
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
            }
          }}
          rows={1}
          maxLength={4000}
          placeholder={`Message ${other.name}`}
          className="max-h-40 min-h-10 flex-1 resize-none rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none [field-sizing:content] focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20 dark:border-zinc-700 dark:bg-zinc-950"
        />
        <button
          type="submit"
          disabled={!draft.trim()}
          aria-label="Send"
          className="grid size-10 shrink-0 place-items-center rounded-lg bg-indigo-600 text-white shadow-sm hover:bg-indigo-500 disabled:opacity-50"
        >
          <SendIcon className="size-4" />
        </button>
      </form>
      <p className="sr-only">Press Enter to send, Shift+Enter for a new line.</p>
    </section>
  );
}
