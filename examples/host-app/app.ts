// A host app on its own origin: a plain Node `http` server, no framework. Its users sign in with a
// pretend button, its server mints their Herald subscriber tokens and sends them notifications with
// `herald-server`, and its page shows Herald's inbox with one script tag (under a hostile stylesheet).
import { readFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Herald, subscriberToken } from "herald-server";

export type HostAppOptions = {
  port: number;
  /** Where it listens; the page is then opened as http://localhost:<port>. */
  host?: string;
  /** Herald's origin, as the browser reaches it. */
  heraldUrl: string;
  /** The app token (scope "app") and a signing key of the same app. */
  appToken: string;
  kid: string;
  secret: string;
};

const USERS = { ada: "Ada Lovelace", grace: "Grace Hopper" } as const;
type UserId = keyof typeof USERS;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOSTILE = readFileSync(path.join(HERE, "hostile.css"), "utf8");
// Tailwind's preflight too, as a Tailwind host page would have it (when Tailwind is installed).
const PREFLIGHT = (() => {
  try {
    return readFileSync(createRequire(import.meta.url).resolve("tailwindcss/preflight.css"), "utf8");
  } catch {
    return "";
  }
})();

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signedIn(req: http.IncomingMessage): UserId | null {
  const id = /(?:^|;\s*)host_user=(\w+)/.exec(req.headers.cookie ?? "")?.[1];
  return id && id in USERS ? (id as UserId) : null;
}

function page(user: UserId | null, url: URL, heraldUrl: string) {
  const theme = url.searchParams.get("theme") === "dark" ? "dark" : url.searchParams.get("theme") === "light" ? "light" : "auto";
  const styles = url.searchParams.has("plain") ? "" : '<link rel="stylesheet" href="/hostile.css">';
  const body = user
    ? `<header style="display:flex;align-items:center;gap:1rem;padding:0.5rem 1rem">
        <strong>Acme Shop</strong> <span style="flex:1">signed in as ${escape(USERS[user])}</span>
        <form method="post" action="/signout"><button>Sign out</button></form>
        <herald-inbox server="${escape(heraldUrl)}" token-endpoint="/herald-token" theme="${theme}"></herald-inbox></header>
       <main><button id="notify" type="button">Send me a notification</button> <output id="sent"></output></main>
       <script type="module">
         document.getElementById("notify").addEventListener("click", async () => {
           const res = await fetch("/notify", { method: "POST" });
           document.getElementById("sent").textContent = res.ok ? "Sent" : "Failed: " + res.status;
         });
       </script>`
    : `<main><h1>Acme Shop</h1><form method="post" action="/signin">
        <button name="user" value="ada">Continue as Ada</button> <button name="user" value="grace">Continue as Grace</button></form></main>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Shop</title>${styles}
    <script type="module" src="${escape(heraldUrl)}/embed/v1/herald.js"></script></head><body>${body}</body></html>`;
}

async function readForm(req: http.IncomingMessage) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

export function startHostApp(options: HostAppOptions): Promise<http.Server> {
  const herald = new Herald({ url: options.heraldUrl, token: options.appToken });
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://host.invalid");
    const user = signedIn(req);
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...headers });
      res.end(body);
    };
    try {
      if (req.method === "GET" && url.pathname === "/") return send(200, "text/html; charset=utf-8", page(user, url, options.heraldUrl));
      if (req.method === "GET" && url.pathname === "/hostile.css") return send(200, "text/css", PREFLIGHT + HOSTILE);
      if (req.method === "POST" && url.pathname === "/signin") {
        const id = (await readForm(req)).get("user") ?? "";
        if (!(id in USERS)) return send(400, "text/plain", "Unknown user");
        return send(303, "text/plain", "", { Location: "/", "Set-Cookie": `host_user=${id}; Path=/; HttpOnly; SameSite=Lax` });
      }
      if (req.method === "POST" && url.pathname === "/signout") {
        return send(303, "text/plain", "", { Location: "/", "Set-Cookie": "host_user=; Path=/; Max-Age=0" });
      }
      // The one endpoint Herald's inbox calls on the host: a token for whoever is signed in here.
      if (req.method === "GET" && url.pathname === "/herald-token") {
        if (!user) return send(401, "application/json", JSON.stringify({ error: "signed out" }));
        const token = await subscriberToken({ kid: options.kid, secret: options.secret, externalId: user, expiresIn: 3600 });
        return send(200, "application/json", JSON.stringify({ token }));
      }
      if (req.method === "POST" && url.pathname === "/notify") {
        if (!user) return send(401, "application/json", JSON.stringify({ error: "signed out" }));
        await herald.subscribers.identify(user, { name: USERS[user] });
        const created = await herald.notifications.send({
          to: user,
          title: "Your order has shipped",
          body: "Order #42 is on its way.",
          category: "task",
          actionUrl: "/orders/42",
          actionLabel: "Track it",
        });
        return send(201, "application/json", JSON.stringify(created));
      }
      if (req.method === "GET" && url.pathname === "/orders/42") return send(200, "text/html; charset=utf-8", "<!doctype html><title>Order 42</title><h1>Order #42</h1>");
      return send(404, "text/plain", "Not found");
    } catch (err) {
      console.error("[host-app]", err instanceof Error ? err.message : err);
      return send(502, "application/json", JSON.stringify({ error: "Herald call failed" }));
    }
  });
  return new Promise((resolve) => server.listen(options.port, options.host ?? "127.0.0.1", () => resolve(server)));
}
