"use client";

import { useId, useRef, useState } from "react";
import { useNow } from "@/lib/hooks/use-now";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { ArchiveIcon, CheckIcon, ClockIcon, ExternalIcon, MailIcon, TrashIcon, UnarchiveIcon } from "@/components/ui/icons";
import type { BatchAction } from "@/sdk/client/src/api";
import { expiryText, fullTime, groupHeadline, namesText, relativeTime } from "./format";
import { GroupMembers } from "./group-members";
import { Highlighted } from "./highlighted";
import { SnoozeMenu } from "./snooze-menu";
import { snoozeTimeText } from "./snooze-presets";
import { CATEGORY_META, CategoryIcon, PRIORITY_META, PriorityChip } from "./meta";
import { safeActionTarget } from "./safe-url";

type Props = {
  n: NotificationDTO;
  onOpen: (n: NotificationDTO) => void;
  onAction: (n: NotificationDTO, action: BatchAction) => void;
  /** Snooze until a time, or (null) bring a snoozed one back now. */
  onSnooze?: (n: NotificationDTO, until: Date | null) => void;
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

function IconButton({
  label,
  onClick,
  children,
  buttonRef,
  expanded,
}: {
  label: string;
  onClick: () => void;
  children: React.ReactNode;
  buttonRef?: React.Ref<HTMLButtonElement>;
  expanded?: boolean;
}) {
  return (
    <button
      ref={buttonRef}
      type="button"
      aria-label={label}
      aria-haspopup={expanded === undefined ? undefined : "menu"}
      aria-expanded={expanded}
      title={label.split(":")[0]}
      onClick={onClick}
      className="grid size-8 place-items-center rounded-md text-zinc-500 hover:bg-zinc-200/70 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
    >
      {children}
    </button>
  );
}

/** Text only: titles and bodies are React text nodes, never HTML. */
export function NotificationItem({ n, onOpen, onAction, onSnooze, variant = "compact", selected, onSelect }: Props) {
  const unread = !n.readAt;
  const archived = n.archivedAt !== null;
  const full = variant === "full";
  const target = safeActionTarget(n.actionUrl);
  const [expanded, setExpanded] = useState(false);
  const [snoozing, setSnoozing] = useState(false);
  const snoozeButton = useRef<HTMLButtonElement>(null);
  const itemRef = useRef<HTMLLIElement>(null);
  const membersId = useId();
  const grouped = n.group !== null && n.group.count > 1;
  const title = groupHeadline(n);
  const actors = grouped ? namesText(n.group!.actors.map((a) => a.name)) : (n.actor?.name ?? null);
  const closeSnooze = () => {
    setSnoozing(false);
    snoozeButton.current?.focus();
  };
  return (
    <li
      ref={itemRef}
      data-notification-id={n.id}
      data-unread={unread || undefined}
      data-group-key={n.group?.key}
      data-group-count={n.group?.count}
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
          } ${full ? "pr-32 sm:pr-40" : "pr-28"}`}
        >
          <CategoryIcon category={n.category} />
          <span className="min-w-0 flex-1">
            <span className="flex items-center gap-2">
              <span
                data-testid="notification-title"
                className={`truncate text-sm ${unread ? "font-semibold text-zinc-950 dark:text-white" : "font-medium text-zinc-700 dark:text-zinc-300"}`}
              >
                {n.highlight && !grouped ? <Highlighted segments={n.highlight.title} /> : title}
              </span>
              <PriorityChip priority={n.priority} />
            </span>
            {n.body ? (
              <span className={`mt-0.5 block whitespace-pre-line break-words text-sm text-zinc-600 dark:text-zinc-400 ${full ? "line-clamp-3" : "line-clamp-2"}`}>
                {n.highlight ? <Highlighted segments={n.highlight.body} /> : n.body}
              </span>
            ) : null}
            <span className="mt-1 flex flex-wrap items-center gap-y-0.5 text-xs text-zinc-500 dark:text-zinc-400 [&>*+*]:before:px-1.5 [&>*+*]:before:content-['·']">
              <RelativeTime iso={n.createdAt} />
              {actors ? <span>{actors}</span> : null}
              {n.via ? <span data-testid="notification-via">via {n.via.tokenName}</span> : null}
              {full ? <span>{CATEGORY_META[n.category].label}</span> : null}
              {n.highlight && archived ? <span>Archived</span> : null}
              {n.expiresAt ? <ExpiryCountdown iso={n.expiresAt} /> : null}
              {n.snoozedUntil ? <span data-testid="snoozed-until">Snoozed until {snoozeTimeText(new Date(n.snoozedUntil))}</span> : null}
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
        <IconButton label={`${unread ? "Mark as read" : "Mark as unread"}: ${title}`} onClick={() => onAction(n, unread ? "read" : "unread")}>
          {unread ? <CheckIcon /> : <MailIcon />}
        </IconButton>
        <IconButton label={`${archived ? "Restore" : "Archive"}: ${title}`} onClick={() => onAction(n, archived ? "unarchive" : "archive")}>
          {archived ? <UnarchiveIcon /> : <ArchiveIcon />}
        </IconButton>
        {onSnooze && !archived ? (
          n.snoozedUntil ? (
            <IconButton label={`Unsnooze: ${title}`} onClick={() => onSnooze(n, null)}>
              <ClockIcon />
            </IconButton>
          ) : (
            <IconButton label={`Snooze: ${title}`} buttonRef={snoozeButton} expanded={snoozing} onClick={() => setSnoozing((v) => !v)}>
              <ClockIcon />
            </IconButton>
          )
        ) : null}
        {full && archived ? (
          <IconButton label={`Delete forever: ${n.title}`} onClick={() => onAction(n, "delete")}>
            <TrashIcon />
          </IconButton>
        ) : null}
      </div>
      {grouped ? (
        <div className={`-mt-1.5 pb-2 ${onSelect ? "pl-[5.5rem]" : "pl-16"}`}>
          <button
            type="button"
            aria-expanded={expanded}
            aria-controls={expanded ? membersId : undefined}
            onClick={() => setExpanded((v) => !v)}
            className="rounded text-xs font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-300"
          >
            {expanded ? "Hide" : "Show"} all {n.group!.count}
          </button>
        </div>
      ) : null}
      {grouped && expanded ? <GroupMembers n={n} id={membersId} /> : null}
      {snoozing ? (
        <SnoozeMenu
          title={title}
          onClose={closeSnooze}
          onSnooze={(until) => {
            setSnoozing(false);
            // The item leaves the list: keep the keyboard where it was, on a neighbouring item.
            const li = itemRef.current;
            (li?.nextElementSibling ?? li?.previousElementSibling)?.querySelector<HTMLElement>("[data-nav-item]")?.focus();
            onSnooze?.(n, until);
          }}
        />
      ) : null}
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
