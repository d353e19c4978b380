import { randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { unsubscribeToken } from "@/lib/email/unsubscribe";
import { createToken } from "./api";
import { pushDevice } from "./push-service";
import { SseReader } from "./sse";
import { Client, createAdminUser, createTestUser } from "./users";

const APP_DIR = path.resolve(__dirname, "..", "..", "app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every `page.tsx` / `route.ts` under app/, as URL patterns (route groups dropped, `[x]` kept). */
export function appRoutes(kind: "page.tsx" | "route.ts", dir = APP_DIR, prefix = ""): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (!statSync(full).isDirectory()) {
      if (entry === kind) found.push(prefix || "/");
      continue;
    }
    found.push(...appRoutes(kind, full, /^\(.+\)$/.test(entry) ? prefix : `${prefix}/${entry}`));
  }
  return found;
}

export type Served = { method: string; path: string; status: number };

/**
 * Makes a server do what a busy production server has done: sign-ins, every page, every method of
 * every API route (with real ids), a live stream that receives something, a chat message, service
 * (v1) sends, admin pages. Returns every answer, so a caller can check that none was a 500.
 */
export async function serveEverything(baseUrl: string): Promise<Served[]> {
  const served: Served[] = [];
  const admin = await createAdminUser("everything");
  const peer = await createTestUser("everypeer");
  const me = await Client.signedIn(admin, baseUrl);
  const note = (method: string, p: string, status: number) => served.push({ method, path: p, status });

  const stream = await SseReader.open(me);
  const token = await createToken(me, "everything-bot", { scope: "users" });
  const room = await me.json("/api/rooms", { body: { participantEmail: peer.email } });
  note("POST", "/api/rooms", room.status);
  const message = await me.json(`/api/rooms/${room.body.id}/messages`, { body: { body: "hello from everywhere" } });
  note("POST", "/api/rooms/{roomId}/messages", message.status);
  const burst = await me.json("/api/notifications/test", { body: { title: "everything", count: 5 } });
  note("POST", "/api/notifications/test", burst.status);
  const ids: string[] = burst.body.items.map((n: { id: string }) => n.id);
  const v1 = async (body: unknown) => {
    const res = await fetch(`${baseUrl}/api/v1/notifications`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token.secret}`, "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
      body: JSON.stringify(body),
    });
    note("POST", "/api/v1/notifications", res.status);
    return res.json();
  };
  const sent = await v1({ to: admin.id, title: "from a service" });
  await v1({ to: [admin.email, peer.id], title: "to two", category: "system" });
  await stream.waitFor((e) => e.event === "notification.created" && e.data.title === "to two");
  stream.close();
  const device = await me.json("/api/push/subscriptions", { body: pushDevice(`https://push.example.com/send/${randomUUID()}`) });
  note("POST", "/api/push/subscriptions", device.status);
  const other = await createToken(me, "everything-spare");

  const params: Record<string, string> = {
    id: ids[0],
    roomId: room.body.id,
    token: unsubscribeToken({ userId: admin.id, scope: "report" }),
  };
  const byRoute: Record<string, Record<string, string>> = {
    "/api/tokens/[id]": { id: other.id },
    "/api/push/subscriptions/[id]": { id: device.body.id },
    "/api/v1/notifications/[id]": { id: sent.notifications?.[0]?.id ?? ids[1] },
    "/api/notifications/[id]/click": { id: ids[2] },
    "/api/notifications/[id]/read": { id: ids[3] },
  };
  const concrete = (route: string) =>
    route.replace(/\[\.\.\.(\w+)\]/, "no-such-route").replace(/\[(\w+)\]/g, (_m, name: string) => encodeURIComponent(byRoute[route]?.[name] ?? params[name] ?? "1"));

  for (const page of appRoutes("page.tsx")) {
    const res = await me.fetch(concrete(page));
    await res.text();
    note("GET", page, res.status);
  }
  for (const route of appRoutes("route.ts")) {
    if (route.startsWith("/api/auth")) continue; // signed in and out through it already
    const url = concrete(route);
    const allow = (await me.fetch(url, { method: "OPTIONS" })).headers.get("allow") ?? "GET";
    for (const method of METHODS.filter((m) => allow.includes(m))) {
      if (route === "/api/notifications/stream") continue; // opened above
      const byToken = route.startsWith("/api/v1");
      const init: RequestInit = { method, ...(method === "GET" ? {} : { headers: { "Content-Type": "application/json" }, body: method === "DELETE" ? undefined : "{}" }) };
      const res = byToken
        ? await fetch(`${baseUrl}${url}`, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token.secret}` } })
        : await me.fetch(url, init);
      await res.text();
      note(method, route, res.status);
    }
  }
  await me.signOut();
  return served;
}
