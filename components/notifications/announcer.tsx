"use client";

import { useSyncExternalStore } from "react";

// A polite live region for new notifications. Arrivals close together are summed into one sentence,
// so a burst is announced once ("12 new notifications") rather than read out twelve times.

const GATHER_MS = 600;
let message = "";
let pending: string[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function publish(text: string) {
  // Re-announcing the same words needs a change in the DOM: alternate a trailing no-break space.
  message = text === message.trimEnd() ? `${text}\u00a0` : text;
  for (const l of listeners) l();
}

export function announceNotification(title: string) {
  pending.push(title);
  clearTimeout(timer);
  timer = setTimeout(() => {
    const titles = pending;
    pending = [];
    publish(titles.length === 1 ? `New notification: ${titles[0]}` : `${titles.length} new notifications`);
  }, GATHER_MS);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function LiveAnnouncer() {
  const text = useSyncExternalStore(subscribe, () => message, () => "");
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="live-announcer">
      {text}
    </div>
  );
}
