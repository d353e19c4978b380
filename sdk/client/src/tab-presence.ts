// Which of this browser's Herald tabs are visible, shared over a BroadcastChannel, so that a native
// notification is only shown when the user is looking at none of them. Visible tabs re-announce
// themselves every few seconds, so a tab that crashed without saying goodbye is soon forgotten.

import { transport } from "./transport";

const CHANNEL = "herald-tabs";
const REANNOUNCE_MS = 5_000;
const FORGET_AFTER_MS = 12_000;

type Message = { type: "state"; tab: string; visible: boolean } | { type: "hello"; tab: string };

// The server's copy (POST /api/presence, valid 45 s): no web push goes out while a tab is visible.
const REPORT_MS = 30_000;

function report(visible: boolean) {
  if (transport().usesToken) return; // presence is for Herald's own sessions
  void transport().fetch("/api/presence", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ tabId, visible }),
    keepalive: true,
  }).catch(() => {});
}

let started = false;
let channel: BroadcastChannel | null = null;
const tabId = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `tab-${Math.random().toString(36).slice(2).padEnd(10, "0")}`;
const visibleOthers = new Map<string, number>();

const isVisible = () => document.visibilityState === "visible";

function post(message: Message) {
  try {
    channel?.postMessage(message);
  } catch {}
}

export function startTabPresence() {
  if (started || typeof window === "undefined") return;
  started = true;
  if (typeof BroadcastChannel !== "undefined") {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = ({ data }: MessageEvent<Message>) => {
      if (data.tab === tabId) return;
      if (data.type === "hello") post({ type: "state", tab: tabId, visible: isVisible() });
      else if (data.visible) visibleOthers.set(data.tab, Date.now());
      else visibleOthers.delete(data.tab);
    };
  }
  const announce = () => post({ type: "state", tab: tabId, visible: isVisible() });
  document.addEventListener("visibilitychange", () => {
    announce();
    report(isVisible());
  });
  window.addEventListener("pagehide", () => {
    post({ type: "state", tab: tabId, visible: false });
    report(false);
  });
  setInterval(() => {
    if (isVisible()) announce();
  }, REANNOUNCE_MS);
  setInterval(() => {
    if (isVisible()) report(true);
  }, REPORT_MS);
  report(isVisible());
  post({ type: "hello", tab: tabId });
  announce();
}

/** True when this tab or another Herald tab of this browser is on screen. */
export function anyTabVisible(now = Date.now()) {
  if (isVisible()) return true;
  for (const [tab, at] of visibleOthers) {
    if (now - at < FORGET_AFTER_MS) return true;
    visibleOthers.delete(tab);
  }
  return false;
}

/**
 * Lets exactly one tab act on `key` (show the native alert, play the sound), whatever the number of
 * tabs that received the event: a Web Lock makes the check-and-set in localStorage atomic across tabs.
 */
export async function claimOnce(key: string): Promise<boolean> {
  const storageKey = `herald:claimed:${key}`;
  const attempt = () => {
    try {
      if (localStorage.getItem(storageKey)) return false;
      localStorage.setItem(storageKey, String(Date.now()));
      pruneClaims();
    } catch {}
    return true;
  };
  if (typeof navigator !== "undefined" && navigator.locks) {
    return navigator.locks.request(`herald:claim:${key}`, attempt);
  }
  return attempt();
}

let lastPrune = 0;
function pruneClaims(now = Date.now()) {
  if (now - lastPrune < 60_000) return;
  lastPrune = now;
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const k = localStorage.key(i);
    if (k?.startsWith("herald:claimed:") && now - Number(localStorage.getItem(k)) > 3_600_000) localStorage.removeItem(k);
  }
}
