"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationListQuery, type NotificationStatus } from "@/sdk/client/src/api";
import { RelativeTime } from "./notification-item";

const statusOf = (n: NotificationDTO): NotificationStatus =>
  n.archivedAt ? "archived" : n.snoozedUntil ? "snoozed" : n.readAt ? "read" : "unread";

/** The expander of a group's item: its members, newest first, text only. */
export function GroupMembers({ n, id }: { n: NotificationDTO; id: string }) {
  const key = n.group!.key;
  const { data, isPending, isError, hasNextPage, fetchNextPage, isFetchingNextPage } = useInfiniteQuery(
    notificationListQuery({ status: statusOf(n), groupKey: key }),
  );
  const members = data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div id={id} className="mx-3 mb-3 rounded-lg border border-zinc-200 bg-white/70 dark:border-zinc-700 dark:bg-zinc-900/60">
      {isPending ? <p className="px-3 py-2 text-xs text-zinc-600 dark:text-zinc-400">Loading…</p> : null}
      {isError ? <p className="px-3 py-2 text-xs text-red-700 dark:text-red-400">Could not load them.</p> : null}
      <ul aria-label={`${n.group!.count} in this group`} className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="group-members">
        {members.map((m) => (
          <li key={m.id} data-member-id={m.id} className="px-3 py-2 text-sm">
            <span className="block truncate font-medium text-zinc-800 dark:text-zinc-200">{m.body || m.title}</span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">
              <RelativeTime iso={m.createdAt} />
              {m.actor ? ` · ${m.actor.name}` : null}
            </span>
          </li>
        ))}
      </ul>
      {hasNextPage ? (
        <button
          type="button"
          onClick={() => void fetchNextPage()}
          disabled={isFetchingNextPage}
          className="w-full px-3 py-1.5 text-left text-xs font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-300"
        >
          {isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      ) : null}
    </div>
  );
}
