"use client";

import { useNow } from "@/lib/hooks/use-now";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { ArchiveIcon, CheckIcon, ExternalIcon, MailIcon, TrashIcon, UnarchiveIcon } from "@/components/ui/icons";
import type { BatchAction } from "./api";
import { expiryText, fullTime, relativeTime } from "./format";
import { CATEGORY_META, CategoryIcon, PRIORITY_META, PriorityChip } from "./meta";
import { safeActionTarget } from "./safe-url";

type Props = {
  n: NotificationDTO;
  onOpen: (n: NotificationDTO) => void;
  onAction: (n: NotificationDTO, action: BatchAction) => void;
  /** The inbox shows a checkbox, the category and a delete button in the archive. */
  variant?: "compact" | "full";
  selected?: boolean;
  onSelect?: (n: NotificationDTO, selected: boolean) => void;
};

export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow(15_000);
  return (
    <time dateTime={iso} title={fullTime(iso)} suppressHydrationWarning>
      {relativeTime(iso, now)}
    </time>
  );
}

export function ExpiryCountdown({ iso }: { iso: string }) {
  const now = useNow(1_000);
  const soon = new Date(iso).getTime() - now < 5 * 60_000;
  return (
    <span className={`inline-flex items-center gap-1 ${soon ? "text-amber-700 dark:text-amber-400" : ""}`} title={`Expires ${fullTime(iso)}`}>
      {expiryText(iso, now)}
    </span>
  );
}

function IconButton({ label, onClick, children }: { label: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label.split(":")[0]}
      onClick={onClick}
      className="grid size-8 place-items-center rounded-md text-zinc-500 hover:bg-zinc-200/70 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
    >
      {children}
    </button>
  );
}

/** Text only: titles and bodies are React text nodes, never HTML. */
export function NotificationItem({ n, onOpen, onAction, variant = "compact", selected, onSelect }: Props) {
  const unread = !n.readAt;
  const archived = n.archivedAt !== null;
  const full = variant === "full";
  const target = safeActionTarget(n.actionUrl);
  return (
    <li
      data-notification-id={n.id}
      data-unread={unread || undefined}
      className={`group relative border-l-[3px] ${PRIORITY_META[n.priority].stripe} ${
        unread && !archived ? "bg-indigo-50/60 dark:bg-indigo-500/[0.07]" : ""
      } ${selected ? "!bg-indigo-100/70 dark:!bg-indigo-500/15" : ""} hover:bg-zinc-50 dark:hover:bg-zinc-800/60`}
    >
      <div className="flex items-start">
        {onSelect ? (
          <label className="grid shrink-0 cursor-pointer place-items-center self-stretch pl-3 pr-1">
            <input
              type="checkbox"
              checked={selected ?? false}
              onChange={(e) => onSelect(n, e.target.checked)}
              aria-label={`Select: ${n.title}`}
              className="size-4 accent-indigo-600"
            />
          </label>
        ) : null}
        <button
          type="button"
          data-nav-item
          onClick={() => onOpen(n)}
          className={`flex min-w-0 flex-1 gap-3 py-3 text-left outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-500 ${
            onSelect ? "pl-2" : "pl-4"
          } ${full ? "pr-24 sm:pr-32" : "pr-20"}`}
        >
          <CategoryIcon category={n.category} />
          <span className="min-w-0 flex-1">
            <span className="flex items-center gap-2">
              <span className={`truncate text-sm ${unread ? "font-semibold text-zinc-950 dark:text-white" : "font-medium text-zinc-700 dark:text-zinc-300"}`}>
                {n.title}
              </span>
              <PriorityChip priority={n.priority} />
            </span>
            {n.body ? (
              <span className={`mt-0.5 block whitespace-pre-line break-words text-sm text-zinc-600 dark:text-zinc-400 ${full ? "line-clamp-3" : "line-clamp-2"}`}>
                {n.body}
              </span>
            ) : null}
            <span className="mt-1 flex flex-wrap items-center gap-y-0.5 text-xs text-zinc-500 dark:text-zinc-400 [&>*+*]:before:px-1.5 [&>*+*]:before:content-['·']">
              <RelativeTime iso={n.createdAt} />
              {n.actor ? <span>{n.actor.name}</span> : null}
              {n.via ? <span data-testid="notification-via">via {n.via.tokenName}</span> : null}
              {full ? <span>{CATEGORY_META[n.category].label}</span> : null}
              {n.expiresAt ? <ExpiryCountdown iso={n.expiresAt} /> : null}
            </span>
            {unread ? <span className="sr-only">, unread</span> : null}
          </span>
        </button>
      </div>
      {unread && !archived ? (
        <span
          aria-hidden
          className={`absolute right-4 top-4 size-2.5 rounded-full bg-indigo-600 group-focus-within:hidden group-hover:hidden [@media(hover:none)]:hidden dark:bg-indigo-400 ${full ? "sm:hidden" : ""}`}
        />
      ) : null}
      <div
        className={`absolute right-2 top-2 flex gap-0.5 rounded-lg bg-white/90 p-0.5 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900/90 dark:ring-zinc-700 ${
          full ? "sm:opacity-100" : ""
        } opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 [@media(hover:none)]:opacity-100`}
      >
        <IconButton label={`${unread ? "Mark as read" : "Mark as unread"}: ${n.title}`} onClick={() => onAction(n, unread ? "read" : "unread")}>
          {unread ? <CheckIcon /> : <MailIcon />}
        </IconButton>
        <IconButton label={`${archived ? "Restore" : "Archive"}: ${n.title}`} onClick={() => onAction(n, archived ? "unarchive" : "archive")}>
          {archived ? <UnarchiveIcon /> : <ArchiveIcon />}
        </IconButton>
        {full && archived ? (
          <IconButton label={`Delete forever: ${n.title}`} onClick={() => onAction(n, "delete")}>
            <TrashIcon />
          </IconButton>
        ) : null}
      </div>
      {target ? (
        <div className={`-mt-1.5 pb-3 ${onSelect ? "pl-[5.5rem]" : "pl-16"}`}>
          <button
            type="button"
            onClick={() => onOpen(n)}
            className="inline-flex items-center gap-1 rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-800 shadow-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
          >
            {n.actionLabel ?? "Open"}
            {target.kind === "external" ? <ExternalIcon className="size-3" /> : null}
          </button>
        </div>
      ) : null}
    </li>
  );
}
