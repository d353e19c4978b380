"use client";

import { useEffect, useId, useRef, useState } from "react";
import { localInputValue, snoozePresets, snoozeTimeText } from "./snooze-presets";

type Props = {
  title: string;
  onSnooze: (until: Date) => void;
  onClose: () => void;
};

const item =
  "flex w-full items-center justify-between gap-3 rounded-md px-2.5 py-1.5 text-left text-sm text-zinc-800 outline-none hover:bg-zinc-100 focus-visible:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-zinc-200 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800";

/**
 * The snooze menu, inside the item (so no scroll container clips it): presets in the user's time
 * zone and "Pick a time". A menu by keyboard: it opens on its first item, arrows, Home and End move, Escape
 * closes and gives focus back to the button that opened it.
 */
export function SnoozeMenu({ title, onSnooze, onClose }: Props) {
  const menuRef = useRef<HTMLDivElement>(null);
  const [picking, setPicking] = useState(false);
  const [value, setValue] = useState(() => localInputValue(new Date(Date.now() + 2 * 3_600_000)));
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const presets = snoozePresets();

  useEffect(() => {
    menuRef.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
  }, []);
  useEffect(() => {
    if (picking) menuRef.current?.querySelector<HTMLInputElement>("input")?.focus();
  }, [picking]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(e.key)) return;
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    // The focused item is the event's target, also inside a shadow root (document.activeElement is not).
    const at = items.indexOf(e.target as HTMLElement);
    if (at === -1) return;
    e.preventDefault();
    const next = e.key === "Home" ? 0 : e.key === "End" ? items.length - 1 : (at + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
    items[next]?.focus();
  };

  const pick = (e: React.FormEvent) => {
    e.preventDefault();
    const until = new Date(value);
    if (Number.isNaN(until.getTime()) || until.getTime() <= Date.now()) {
      setError("Pick a time in the future");
      return;
    }
    onSnooze(until);
  };

  return (
    <div ref={menuRef} onKeyDown={onKeyDown} className="mx-3 mb-3 rounded-lg border border-zinc-200 bg-white p-1 shadow-sm dark:border-zinc-700 dark:bg-zinc-900">
      <div role="menu" aria-label={`Snooze: ${title}`}>
        {presets.map((p) => (
          <button key={p.id} type="button" role="menuitem" className={item} onClick={() => onSnooze(p.at)}>
            <span>{p.label}</span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">{snoozeTimeText(p.at)}</span>
          </button>
        ))}
        <button type="button" role="menuitem" aria-expanded={picking} className={item} onClick={() => setPicking((v) => !v)}>
          Pick a time…
        </button>
      </div>
      {picking ? (
        <form onSubmit={pick} className="flex flex-wrap items-end gap-2 px-2.5 pb-1.5 pt-1">
          <label htmlFor={inputId} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Snooze until
          </label>
          <input
            id={inputId}
            type="datetime-local"
            value={value}
            min={localInputValue(new Date())}
            onChange={(e) => {
              setValue(e.target.value);
              setError(null);
            }}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
          />
          <button type="submit" className="rounded-md bg-indigo-600 px-2.5 py-1 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500">
            Snooze
          </button>
          {error ? (
            <p role="alert" className="w-full text-xs text-red-700 dark:text-red-400">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
