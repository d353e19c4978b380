"use client";

import { useCallback, useSyncExternalStore } from "react";

// One shared timer per interval for every component showing a relative time or countdown.
type Ticker = { now: number; listeners: Set<() => void>; timer?: ReturnType<typeof setInterval> };
const tickers = new Map<number, Ticker>();

function ticker(intervalMs: number): Ticker {
  let t = tickers.get(intervalMs);
  if (!t) tickers.set(intervalMs, (t = { now: Date.now(), listeners: new Set() }));
  return t;
}

function subscribe(intervalMs: number, listener: () => void) {
  const t = ticker(intervalMs);
  t.listeners.add(listener);
  if (!t.timer) {
    t.now = Date.now();
    t.timer = setInterval(() => {
      t.now = Date.now();
      for (const l of t.listeners) l();
    }, intervalMs);
  }
  return () => {
    t.listeners.delete(listener);
    if (t.listeners.size === 0) {
      clearInterval(t.timer);
      t.timer = undefined;
    }
  };
}

/** The current time, re-rendering every `intervalMs` with one timer shared by every caller. */
export function useNow(intervalMs = 30_000): number {
  const sub = useCallback((l: () => void) => subscribe(intervalMs, l), [intervalMs]);
  const now = useSyncExternalStore(sub, () => ticker(intervalMs).now, () => 0);
  return now || Date.now();
}
