"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { BellOffIcon, InboxIcon, RefreshIcon } from "@/components/ui/icons";
import { notificationListQuery, type ListFilters } from "@/sdk/client/src/api";
import { NotificationItem } from "./notification-item";
import { useNotificationActions } from "./use-notification-actions";

type Props = {
  filters: ListFilters;
  label: string;
  variant?: "compact" | "full";
  emptyTitle: string;
  emptyHint?: string;
  /** Called after an item was opened (the bell closes its dropdown). */
  onOpened?: (n: NotificationDTO) => void;
  selection?: { selected: ReadonlySet<string>; toggle: (n: NotificationDTO, on: boolean) => void };
  /** The inbox reports what is loaded, for "select all". */
  onItems?: (items: NotificationDTO[]) => void;
};

/** Newest first, loading older pages as the end scrolls into view; skeleton, empty and error states. */
export function NotificationList({ filters, label, variant = "compact", emptyTitle, emptyHint, onOpened, selection, onItems }: Props) {
  const query = useInfiniteQuery(notificationListQuery(filters));
  const { data, isPending, isError, isFetching, refetch, hasNextPage, fetchNextPage, isFetchingNextPage, isFetchNextPageError } = query;
  const { run, open, snooze, unsnooze } = useNotificationActions();
  const sentinel = useRef<HTMLDivElement>(null);
  const items = data?.pages.flatMap((p) => p.items) ?? [];

  useEffect(() => {
    onItems?.(items);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    // With no explicit root, the intersection is still clipped by the scrolling dropdown around it.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage && !isFetchNextPageError) void fetchNextPage();
      },
      { rootMargin: "160px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);

  if (isPending && !isError) return <ListSkeleton rows={variant === "full" ? 6 : 4} />;
  if (isError && !data) {
    return (
      <div role="alert" className="flex flex-col items-center gap-3 px-6 py-10 text-center">
        <p className="text-sm font-medium">Couldn’t load notifications.</p>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Check your connection and try again.</p>
        <button
          type="button"
          onClick={() => void refetch()}
          disabled={isFetching}
          className="inline-flex items-center gap-1.5 rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          <RefreshIcon className={`size-3.5 ${isFetching ? "animate-spin" : ""}`} /> {isFetching ? "Retrying…" : "Retry"}
        </button>
      </div>
    );
  }
  if (items.length === 0) {
    const Icon = filters.status === "unread" ? InboxIcon : BellOffIcon;
    return (
      <div className="flex flex-col items-center gap-2 px-6 py-12 text-center" data-testid="empty-state">
        <span className="grid size-12 place-items-center rounded-full bg-zinc-100 text-zinc-400 dark:bg-zinc-800 dark:text-zinc-500">
          <Icon className="size-6" />
        </span>
        <p className="text-sm font-medium">{emptyTitle}</p>
        {emptyHint ? <p className="max-w-64 text-xs text-zinc-500 dark:text-zinc-400">{emptyHint}</p> : null}
      </div>
    );
  }
  return (
    <>
      <ul aria-label={label} className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {items.map((n) => (
          <NotificationItem
            // A group's unread item keeps its element while newer members take its place.
            key={n.group && !n.readAt && !n.archivedAt && !n.snoozedUntil ? `group:${n.group.key}` : n.id}
            n={n}
            variant={variant}
            onOpen={(item) => {
              open(item);
              onOpened?.(item);
            }}
            onAction={(item, action) => run([item.id], action)}
            onSnooze={(item, until) => void (until ? snooze(item, until) : unsnooze(item))}
            selected={selection?.selected.has(n.id)}
            onSelect={selection?.toggle}
          />
        ))}
      </ul>
      <div ref={sentinel} className="px-4 py-3 text-center text-xs text-zinc-500 dark:text-zinc-400">
        {isFetchingNextPage ? (
          <span role="status">Loading older notifications…</span>
        ) : hasNextPage ? (
          <button type="button" onClick={() => void fetchNextPage()} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            {isFetchNextPageError ? "Couldn’t load more. Retry" : "Load older notifications"}
          </button>
        ) : items.length > 5 ? (
          <span>That’s everything.</span>
        ) : null}
      </div>
    </>
  );
}

export function ListSkeleton({ rows }: { rows: number }) {
  return (
    <div role="status" aria-label="Loading notifications" className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex animate-pulse gap-3 px-4 py-3">
          <span className="size-9 shrink-0 rounded-lg bg-zinc-200 dark:bg-zinc-800" />
          <span className="flex-1 space-y-2 py-0.5">
            <span className="block h-3 w-2/3 rounded bg-zinc-200 dark:bg-zinc-800" />
            <span className="block h-3 w-full rounded bg-zinc-100 dark:bg-zinc-800/70" />
            <span className="block h-2.5 w-1/4 rounded bg-zinc-100 dark:bg-zinc-800/70" />
          </span>
        </div>
      ))}
    </div>
  );
}
