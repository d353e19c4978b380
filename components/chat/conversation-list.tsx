"use client";

import Link from "next/link";
import { useSelectedLayoutSegment } from "next/navigation";
import type { ConversationDTO } from "@/lib/chat/service";
import { RelativeTime } from "@/components/notifications/notification-item";
import { badgeText } from "@/components/notifications/format";
import { Avatar } from "./avatar";

/** Conversations, most recent first, with unread counts (the room on screen reads its own). */
export function ConversationList({ conversations }: { conversations: ConversationDTO[] }) {
  const active = useSelectedLayoutSegment();
  return (
    <section aria-labelledby="conversations-heading" className="flex h-full flex-col overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h1 id="conversations-heading" className="border-b border-zinc-200 px-4 py-3 font-semibold dark:border-zinc-800">
        Conversations
      </h1>
      {conversations.length === 0 ? (
        <p className="px-4 py-6 text-sm text-zinc-500 dark:text-zinc-400">No conversations yet. Pick someone to message.</p>
      ) : (
        <ul aria-label="Conversations" className="min-h-0 flex-1 divide-y divide-zinc-100 overflow-y-auto dark:divide-zinc-800">
          {conversations.map((c) => {
            const current = active === c.id;
            const unread = current ? 0 : c.unread;
            return (
              <li key={c.id}>
                <Link
                  href={`/chat/${c.id}`}
                  aria-current={current ? "page" : undefined}
                  aria-label={`${c.other.name}${unread ? `, ${unread} unread` : ""}`}
                  className={`flex items-center gap-3 px-4 py-3 ${current ? "bg-indigo-50 dark:bg-indigo-500/10" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/60"}`}
                >
                  <Avatar name={c.other.name} />
                  <span className="min-w-0 flex-1">
                    <span className="flex items-baseline justify-between gap-2">
                      <span className={`truncate text-sm ${unread ? "font-semibold" : "font-medium"}`}>{c.other.name}</span>
                      {c.lastMessage ? (
                        <span className="shrink-0 text-xs text-zinc-600 dark:text-zinc-400">
                          <RelativeTime iso={c.lastMessage.createdAt} />
                        </span>
                      ) : null}
                    </span>
                    <span className="flex items-center justify-between gap-2">
                      <span className={`truncate text-xs ${unread ? "text-zinc-800 dark:text-zinc-200" : "text-zinc-600 dark:text-zinc-400"}`}>
                        {c.lastMessage ? `${c.lastMessage.mine ? "You: " : ""}${c.lastMessage.body}` : c.other.email}
                      </span>
                      {unread > 0 ? (
                        <span data-testid="room-unread" className="shrink-0 rounded-full bg-indigo-600 px-1.5 text-[11px] font-semibold leading-5 text-white tabular-nums">
                          {badgeText(unread)}
                        </span>
                      ) : null}
                    </span>
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
