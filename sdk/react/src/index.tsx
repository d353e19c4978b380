"use client";
// <HeraldInbox>: Herald's <herald-inbox> element for React and Next.js. On the server (and in the
// first render on the client) it is an empty <herald-inbox> placeholder: nothing here touches
// `window` until an effect runs, which loads Herald's script and wires the events to the callbacks.
import { createElement, useEffect, useRef } from "react";

export type HeraldNotification = { id: string; title: string; actionUrl: string | null; [field: string]: unknown };
export type HeraldCounts = { unreadCount: number; unseenCount: number };
export type HeraldConnectionState = "connecting" | "live" | "reconnecting" | "offline";
export type HeraldErrorDetail = { code: string; message: string };

export type HeraldInboxProps = {
  /** Herald's origin, e.g. https://herald.example */
  server: string;
  /** A subscriber token for the signed-in user, from your server (or use tokenEndpoint). */
  getToken?: () => Promise<string>;
  /** A URL of your site answering `{token}` (same origin, cookies included). */
  tokenEndpoint?: string;
  theme?: "light" | "dark" | "auto";
  placement?: "bottom-end" | "bottom-start";
  /** Toasts for what arrives live; on by default. */
  toasts?: boolean;
  /** Return false (or call event.preventDefault()) to keep Herald from opening the action URL. */
  onNotificationClick?: (notification: HeraldNotification, event: CustomEvent) => void | boolean;
  onUnreadChange?: (counts: HeraldCounts) => void;
  onConnection?: (state: HeraldConnectionState) => void;
  onError?: (error: HeraldErrorDetail) => void;
  className?: string;
  style?: React.CSSProperties;
};

type InboxElement = HTMLElement & { getToken?: () => Promise<string> };

const loaded = new Map<string, Promise<unknown>>();

/** Herald's element script, once per server: a module import the bundler leaves alone. */
function loadElement(server: string) {
  const src = `${server.replace(/\/+$/, "")}/embed/v1/herald.js`;
  if (!loaded.has(src)) loaded.set(src, import(/* webpackIgnore: true */ /* @vite-ignore */ src));
  return loaded.get(src)!;
}

export function HeraldInbox({ server, getToken, tokenEndpoint, theme, placement, toasts, onNotificationClick, onUnreadChange, onConnection, onError, className, style }: HeraldInboxProps) {
  const ref = useRef<InboxElement>(null);
  const callbacks = useRef({ getToken, onNotificationClick, onUnreadChange, onConnection, onError });
  callbacks.current = { getToken, onNotificationClick, onUnreadChange, onConnection, onError };

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (callbacks.current.getToken) el.getToken = () => callbacks.current.getToken!();
    const listeners: [string, (e: Event) => void][] = [
      ["herald:notification-click", (e) => {
        const event = e as CustomEvent<{ notification: HeraldNotification }>;
        if (callbacks.current.onNotificationClick?.(event.detail.notification, event) === false) event.preventDefault();
      }],
      ["herald:unread-change", (e) => callbacks.current.onUnreadChange?.((e as CustomEvent<HeraldCounts>).detail)],
      ["herald:connection", (e) => callbacks.current.onConnection?.((e as CustomEvent<{ state: HeraldConnectionState }>).detail.state)],
      ["herald:error", (e) => callbacks.current.onError?.((e as CustomEvent<HeraldErrorDetail>).detail)],
    ];
    for (const [name, fn] of listeners) el.addEventListener(name, fn);
    void loadElement(server).catch((err: unknown) => callbacks.current.onError?.({ code: "server_unreachable", message: String(err) }));
    return () => {
      for (const [name, fn] of listeners) el.removeEventListener(name, fn);
    };
  }, [server]);

  return createElement("herald-inbox", {
    ref,
    server,
    "token-endpoint": tokenEndpoint,
    theme,
    placement,
    toasts: toasts === false ? "false" : undefined,
    className,
    style,
    suppressHydrationWarning: true,
  });
}
