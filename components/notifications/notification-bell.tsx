"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { BellIcon } from "@/components/ui/icons";
import { notificationListQuery, unreadCountQuery } from "@/sdk/client/src/api";
import { badgeText } from "./format";
import { useNotificationHost } from "./host-context";
import { NotificationPanel } from "./notification-panel";
import { useMarkSeen } from "./use-mark-seen";

/**
 * The header's bell and its dropdown. The badge counts the unread items not yet seen (as GitHub,
 * Novu and Knock do): opening the bell marks what it shows as seen; unread dots stay until read.
 */
export function NotificationBell({ initialCounts }: { initialCounts?: { unreadCount: number; unseenCount: number } }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const headingId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const focusFirstOnOpen = useRef(false);
  const client = useQueryClient();
  const host = useNotificationHost();
  const { embedded } = host;
  const { data } = useQuery({
    ...unreadCountQuery,
    ...(initialCounts === undefined ? {} : { initialData: initialCounts, initialDataUpdatedAt: Date.now() }),
  });
  const unread = data?.unreadCount ?? 0;
  const unseen = data?.unseenCount ?? 0;
  useMarkSeen(open);

  useEffect(() => {
    const slot = host.inbox;
    if (!slot) return;
    slot.open = () => setOpen(true);
    return () => void (slot.open = null);
  }, [host]);

  // Load the dropdown's first page while the browser is idle, so the first open is instant.
  useEffect(() => {
    const prefetch = () => void client.prefetchInfiniteQuery(notificationListQuery({ status: "all" }));
    const timer = window.setTimeout(() => (typeof requestIdleCallback === "function" ? requestIdleCallback(prefetch) : prefetch()), 300);
    return () => window.clearTimeout(timer);
  }, [client]);

  // The tab's title carries the badge too ("(3) Inbox · Herald"), like the inboxes people know; a
  // host page's title is the host's own.
  useEffect(() => {
    if (embedded) return;
    const apply = () => {
      const base = document.title.replace(/^\(\d+\+?\) /, "");
      const next = unseen > 0 ? `(${badgeText(unseen)}) ${base}` : base;
      if (document.title !== next) document.title = next;
    };
    apply();
    // Navigations set a new title: put the count back.
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [unseen, embedded]);

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      // The path, not the target: inside a shadow root (the embeddable inbox) the document sees the
      // host element as the target of every click within.
      const path = e.composedPath();
      // A toast's Undo is part of the same gesture: clicking it keeps the dropdown open.
      if (path.some((n) => n instanceof Element && n.hasAttribute("data-sonner-toaster"))) return;
      if (!path.some((n) => n === panelRef.current || n === buttonRef.current)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={unread > 0 ? `Notifications, ${unread} unread${unseen > 0 && unseen !== unread ? `, ${unseen} new` : ""}` : "Notifications"}
        onClick={() => {
          focusFirstOnOpen.current = true;
          setOpen((o) => !o);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            focusFirstOnOpen.current = true;
            setOpen(true);
          }
        }}
        className={`relative grid size-10 place-items-center rounded-full text-zinc-600 outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-zinc-300 dark:hover:bg-zinc-800 ${
          open ? "bg-zinc-100 dark:bg-zinc-800" : ""
        }`}
      >
        <BellIcon className="size-5" />
        {unseen > 0 ? (
          <span
            data-testid="unread-badge"
            aria-hidden
            className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-[11px] font-semibold leading-5 text-white ring-2 ring-white tabular-nums dark:ring-zinc-900"
          >
            {badgeText(unseen)}
          </span>
        ) : null}
      </button>
      {open ? (
        <NotificationPanel
          id={panelId}
          headingId={headingId}
          panelRef={panelRef}
          unread={unread}
          focusFirst={focusFirstOnOpen}
          onClose={close}
        />
      ) : null}
    </div>
  );
}
