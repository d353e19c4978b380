// <herald-inbox>: Herald's own bell, dropdown and toasts (the same components, rendered by Preact
// through preact/compat) in an open shadow root of any page. It sits on the same headless client as
// Herald's pages (sdk/client: transport, stream, cache, actions), with a transport that carries the
// host's subscriber token to Herald's origin.
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { createRoot, type Root } from "react-dom/client";
import { Toaster } from "sonner";
import { NotificationHostContext, type NotificationHost } from "@/components/notifications/host-context";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { RealtimeProvider, useRealtime } from "@/components/notifications/realtime-provider";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { unreadCountQuery } from "@/sdk/client/src/api";
import { setTransport, Transport, type HeraldError } from "@/sdk/client/src/transport";
import { ELEMENT_CSS } from "herald:element-css";

/** Errors after which the inbox cannot work until the host fixes something: shown instead of the bell. */
const FATAL = new Set(["invalid_token", "origin_not_allowed", "token_unavailable"]);

type Theme = "light" | "dark" | "auto";

function useDark(theme: Theme) {
  const query = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
  const [prefersDark, setPrefersDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const on = () => setPrefersDark(query.matches);
    query.addEventListener("change", on);
    return () => query.removeEventListener("change", on);
  }, [query]);
  return theme === "dark" || (theme === "auto" && prefersDark);
}

/** Tells the host page what the inbox knows: connection state and counts, as DOM events. */
function Signals({ emit }: { emit: HeraldInbox["emit"] }) {
  const { connection } = useRealtime();
  const { data } = useQuery(unreadCountQuery);
  useEffect(() => void emit("herald:connection", { state: connection.status }), [connection.status, emit]);
  useEffect(() => {
    if (data) emit("herald:unread-change", { unreadCount: data.unreadCount, unseenCount: data.unseenCount });
  }, [data?.unreadCount, data?.unseenCount, emit]); // eslint-disable-line react-hooks/exhaustive-deps
  return null;
}

type ViewProps = { el: HeraldInbox; client: QueryClient; theme: Theme; toasts: boolean; placement: string; error: HeraldError | null };

function View({ el, client, theme, toasts, placement, error }: ViewProps) {
  const dark = useDark(theme);
  const host = useMemo<NotificationHost>(
    () => ({ embedded: true, beforeOpen: (n: NotificationDTO) => el.emit("herald:notification-click", { notification: n }, true), inbox: { open: null } }),
    [el],
  );
  return (
    <div className={`herald-root${dark ? " dark" : ""}`} data-placement={placement} {...part("root")}>
      {error && FATAL.has(error.code) ? (
        <div role="alert" className="herald-error" data-code={error.code} {...part("error")}>
          <strong>Notifications unavailable</strong>
          <span>{error.message}</span>
        </div>
      ) : (
        <NotificationHostContext.Provider value={host}>
          <QueryClientProvider client={client}>
            <RealtimeProvider>
              <Signals emit={el.emit} />
              <NotificationBell />
              {toasts ? (
                <Toaster position="bottom-right" richColors closeButton theme={dark ? "dark" : "light"} visibleToasts={5} containerAriaLabel="Alerts" />
              ) : null}
            </RealtimeProvider>
          </QueryClientProvider>
        </NotificationHostContext.Provider>
      )}
    </div>
  );
}

/** `part` is not a prop React's types know; the DOM does. */
const part = (name: string) => ({ part: name }) as object;

export class HeraldInbox extends HTMLElement {
  static observedAttributes = ["theme", "placement", "toasts"];
  /** Instead of `token-endpoint`: returns a subscriber token for the signed-in user. */
  // `declare`: no class field, so a getToken set before the script defined the element survives the upgrade.
  declare getToken?: () => Promise<string>;
  private mount: HTMLDivElement | null = null;
  private root: Root | null = null;
  private client: QueryClient | null = null;
  private error: HeraldError | null = null;

  connectedCallback() {
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    if (!this.mount) {
      const style = document.createElement("style");
      style.textContent = ELEMENT_CSS;
      this.mount = document.createElement("div");
      shadow.append(style, this.mount);
    }
    // A framework sets properties (getToken) right after it inserts the element: start after that.
    queueMicrotask(() => this.start());
  }

  disconnectedCallback() {
    this.root?.unmount();
    this.root = null;
    this.client?.clear();
    this.client = null;
  }

  attributeChangedCallback() {
    if (this.client) this.update();
  }

  /** Dispatches a DOM event on the element; returns false when a cancelable one was cancelled. */
  emit = (name: string, detail: unknown, cancelable = false) =>
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));

  private start() {
    if (!this.isConnected || this.client) return;
    const server = this.getAttribute("server") ?? "";
    const endpoint = this.getAttribute("token-endpoint");
    const fromEndpoint = async () => {
      if (!endpoint) throw new TypeError("herald-inbox needs token-endpoint or getToken");
      const res = await fetch(endpoint, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
      const body = (await res.json().catch(() => null)) as { token?: string } | null;
      if (!res.ok || !body?.token) throw new TypeError(`token endpoint answered ${res.status}`);
      return body.token;
    };
    setTransport(
      new Transport({
        server,
        getToken: () => (this.getToken ? this.getToken() : fromEndpoint()),
        onError: (error) => this.fail(error),
        onUnauthorized: () => this.fail({ code: "invalid_token", message: "Herald refused the subscriber token" }),
      }),
    );
    this.client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 } } });
    this.update();
  }

  private fail(error: HeraldError) {
    const first = this.error?.code !== error.code;
    this.error = error;
    if (first) this.emit("herald:error", error);
    this.update();
  }

  private update() {
    if (!this.mount || !this.client) return;
    const theme = this.getAttribute("theme");
    this.root ??= createRoot(this.mount);
    this.root.render(
      <View
        el={this}
        client={this.client}
        theme={theme === "light" || theme === "dark" ? theme : "auto"}
        toasts={this.getAttribute("toasts") !== "false"}
        placement={this.getAttribute("placement") === "bottom-start" ? "bottom-start" : "bottom-end"}
        error={this.error}
      />,
    );
  }
}

if (!customElements.get("herald-inbox")) customElements.define("herald-inbox", HeraldInbox);
