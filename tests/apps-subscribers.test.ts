import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createAdminToken, createToken, service } from "./support/api";
import { createTestApp, mintSubscriberToken } from "./support/apps";
import { closeTestSql, testSql } from "./support/db";
import { until } from "./support/second-instance";
import { attemptSignIn } from "./support/sign-in";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";
import { caughtMail } from "./support/verification";

afterAll(closeTestSql);

const HOST_PAGE = "http://localhost:4100";

/** A call as a host page makes it: the subscriber token in Authorization, the page's Origin, no cookies. */
function asSubscriber(token: string, origin: string | null = HOST_PAGE) {
  const client = new Client();
  const headers = { Authorization: `Bearer ${token}`, Origin: origin ?? "" };
  return {
    json: (path: string, init: { method?: string; body?: unknown } = {}) => client.json(path, { ...init, headers }),
    stream: () => SseReader.open(client, "", headers),
  };
}

describe("apps (admin only)", () => {
  it("creates an app with its first key shown once, lists and patches it; members and bad origins are refused", async () => {
    const { client } = await createAdminToken("appsadmin");
    const created = await client.json("/api/apps", { body: { name: "Shop", allowedOrigins: ["https://shop.example", "http://localhost:4100"] } });
    expect(created.status).toBe(201);
    expect(created.body.signingKey.kid).toMatch(/^key_/);
    expect(created.body.signingKey.secret).toMatch(/^hsk_/);
    const id = created.body.app.id;
    const read = await client.json(`/api/apps/${id}`);
    expect(read.body).toMatchObject({ name: "Shop", allowedOrigins: ["https://shop.example", "http://localhost:4100"] });
    expect(JSON.stringify(read.body)).not.toContain(created.body.signingKey.secret);
    const [{ stored }] = await testSql()`select secret_ciphertext as stored from app_signing_keys where app_id = ${id}`;
    expect(stored).not.toContain(created.body.signingKey.secret);

    const patched = await client.json(`/api/apps/${id}`, { method: "PATCH", body: { allowedOrigins: ["https://shop.example"] } });
    expect(patched.body.allowedOrigins).toEqual(["https://shop.example"]);

    for (const bad of ["https://*.shop.example", "https://shop.example/", "https://shop.example/path", "ftp://shop.example", "HTTPS://SHOP.EXAMPLE", "https://shop.example:443"]) {
      const res = await client.json("/api/apps", { body: { name: "Bad", allowedOrigins: [bad] } });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe("validation_error");
    }
    const member = await Client.signedIn(await createTestUser("appsmember"));
    expect((await member.json("/api/apps")).status).toBe(403);
    expect((await member.json("/api/apps", { body: { name: "Mine" } })).status).toBe(403);
    const memberToken = await member.json("/api/tokens", { body: { name: "x", scope: "app", appId: id } });
    expect(memberToken.status).toBe(403);
    const noApp = await client.json("/api/tokens", { body: { name: "x", scope: "app" } });
    expect(noApp.status).toBe(400);
  });
});

describe("subscribers", () => {
  it("identifies (201 then 200), reads, bulk-upserts and erases a subscriber with everything of theirs", async () => {
    const app = await createTestApp("subs");
    const put = await service("/api/v1/subscribers/u_42", { token: app.token.secret, method: "PUT", body: { email: "ada@shop.example", name: "Ada", timeZone: "Europe/Paris", data: { plan: "pro" } } });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ externalId: "u_42", email: "ada@shop.example", name: "Ada", timeZone: "Europe/Paris", data: { plan: "pro" } });
    const again = await service("/api/v1/subscribers/u_42", { token: app.token.secret, method: "PUT", body: { name: "Ada L." } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: put.body.id, name: "Ada L.", email: "ada@shop.example" });
    expect((await service("/api/v1/subscribers/u_42", { token: app.token.secret })).body.name).toBe("Ada L.");

    const bulk = await service("/api/v1/subscribers/bulk", {
      token: app.token.secret,
      body: { subscribers: [{ externalId: "u_42", locale: "fr" }, ...Array.from({ length: 20 }, (_, i) => ({ externalId: `b_${i}`, name: `B ${i}` }))] },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toMatchObject({ created: 20, updated: 1 });
    expect(bulk.body.items[0]).toMatchObject({ externalId: "u_42", locale: "fr", name: "Ada L." });

    const sent = await service("/api/v1/notifications", { token: app.token.secret, body: { to: "u_42", title: "Invoice paid" } });
    expect(sent.status).toBe(201);
    const sub = asSubscriber(await mintSubscriberToken(app, "u_42"));
    expect((await sub.json("/api/preferences", { method: "PUT", body: { categories: { general: { email: true } } } })).status).toBe(200);
    const erased = await service("/api/v1/subscribers/u_42", { token: app.token.secret, method: "DELETE" });
    expect(erased.status).toBe(204);
    const [left] = await testSql()`
      select (select count(*)::int from users where id = ${put.body.id}) as users,
             (select count(*)::int from notifications where user_id = ${put.body.id}) as notifications,
             (select count(*)::int from notification_deliveries where user_id = ${put.body.id}) as deliveries,
             (select count(*)::int from user_preferences where user_id = ${put.body.id}) as preferences,
             (select count(*)::int from push_subscriptions where user_id = ${put.body.id}) as devices`;
    expect(left).toEqual({ users: 0, notifications: 0, deliveries: 0, preferences: 0, devices: 0 });
    expect((await service("/api/v1/subscribers/u_42", { token: app.token.secret })).status).toBe(404);

    const bad = await service("/api/v1/subscribers/u_1", { token: app.token.secret, method: "PUT", body: { email: "not-an-email" } });
    expect(bad.status).toBe(400);
    // "bulk" is the bulk upsert's path, so no subscriber may have it as an id: each one stays reachable.
    expect((await service("/api/v1/subscribers/bulk", { token: app.token.secret, method: "PUT", body: {} })).status).toBe(405);
    const reserved = await service("/api/v1/notifications", { token: app.token.secret, body: { to: "bulk", title: "x" } });
    expect(reserved.status).toBe(400);
    expect(reserved.body.error.message).toContain("reserved");
    await expect(testSql()`select herald_subscriber(${app.id}, 'bulk')`).rejects.toThrow(/reserved/);
  });

  it("get email at the address the host gave (it counts as verified), and cannot sign in at /signin", async () => {
    const app = await createTestApp("mail");
    const email = `sub-${randomUUID().slice(0, 8)}@shop.example`;
    expect((await service("/api/v1/subscribers/m_1", { token: app.token.secret, method: "PUT", body: { email, name: "Mae" } })).status).toBe(201);
    const sub = asSubscriber(await mintSubscriberToken(app, "m_1"));
    expect((await sub.json("/api/preferences", { method: "PUT", body: { categories: { general: { email: true } }, emailDigest: "instant" } })).status).toBe(200);
    const sent = await service("/api/v1/notifications", { token: app.token.secret, body: { to: "m_1", title: "Your invoice is overdue", priority: "urgent" } });
    expect(sent.status).toBe(201);
    await until(async () => (await caughtMail(email)).some((m) => m.subject?.includes("Your invoice is overdue")), `an email to ${email}`);
    // A subscriber has no password: no password signs them in (one try: failures count per address).
    expect((await attemptSignIn(email, "m_1")).signedIn).toBe(false);
  });

  it("notifies by external id, creating recipients and actors never seen (inline identify), in one transaction", async () => {
    const app = await createTestApp("inline");
    const res = await service("/api/v1/notifications", {
      token: app.token.secret,
      body: { to: ["u_1", { externalId: "u_2", email: "grace@shop.example", name: "Grace" }, "u_1"], title: "Welcome", actorExternalId: "u_3" },
    });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(2);
    expect(res.body.notifications.map((n: any) => n.externalId)).toEqual(["u_1", "u_2"]);
    const grace = await service("/api/v1/subscribers/u_2", { token: app.token.secret });
    expect(grace.body).toMatchObject({ email: "grace@shop.example", name: "Grace" });
    const [{ actor }] = await testSql()`select u.external_id as actor from notifications n join users u on u.id = n.actor_id where n.id = ${res.body.notifications[0].id}`;
    expect(actor).toBe("u_3");
  });

  it("herald_subscriber() in the host's own transaction: a commit delivers, a rollback leaves nothing", async () => {
    const app = await createTestApp("sqlfn");
    const sql = testSql();
    const sub = asSubscriber(await mintSubscriberToken(app, "sql_1"));
    const stream = await sub.stream();
    try {
      await sql.begin(async (tx) => {
        await tx`insert into notifications (user_id, title, body) values (herald_subscriber(${app.id}, 'sql_2'), 'Rolled back', 'x')`;
        throw new Error("rollback");
      }).catch((e) => expect(e.message).toBe("rollback"));
      const [{ n }] = await sql`select count(*)::int as n from users where app_id = ${app.id} and external_id = 'sql_2'`;
      expect(n).toBe(0);
      await sql.begin(async (tx) => {
        await tx`insert into notifications (user_id, title, body) values (herald_subscriber(${app.id}, 'sql_1'), 'Invoice paid', '€1,204')`;
      });
      const created = await stream.waitFor((e) => e.event === "notification.created");
      expect(created.data).toMatchObject({ title: "Invoice paid", body: "€1,204" });
    } finally {
      stream.close();
    }
  });
});

describe("subscriber tokens", () => {
  it("read the inbox, mark read, count, change preferences and get notifications live, across origins with CORS", async () => {
    const app = await createTestApp("subtok");
    const sub = asSubscriber(await mintSubscriberToken(app, "live_1"));
    const stream = await sub.stream();
    try {
      const sent = await service("/api/v1/notifications", { token: app.token.secret, body: { to: "live_1", title: "Your order shipped" } });
      const live = await stream.waitFor((e) => e.event === "notification.created");
      expect(live.data.id).toBe(sent.body.notifications[0].id);
    } finally {
      stream.close();
    }
    const list = await sub.json("/api/notifications");
    expect(list.status).toBe(200);
    expect(list.headers.get("access-control-allow-origin")).toBe(HOST_PAGE);
    expect(list.headers.get("access-control-allow-credentials")).toBeNull();
    expect(list.body.items.map((n: any) => n.title)).toEqual(["Your order shipped"]);
    const id = list.body.items[0].id;
    expect((await sub.json(`/api/notifications/${id}/read`, { method: "POST" })).status).toBe(200);
    expect((await sub.json("/api/notifications/unread-count")).body).toMatchObject({ unreadCount: 0 });
    const prefs = await sub.json("/api/preferences", { method: "PUT", body: { categories: { system: { muted: true } } } });
    expect(prefs.status).toBe(200);
    expect((await sub.json("/api/preferences")).body.categories.system.muted).toBe(true);
    // A server (no Origin) may call too.
    expect((await asSubscriber(await mintSubscriberToken(app, "live_1"), null).json("/api/notifications/unread-count")).status).toBe(200);
  });

  it("refuse every bad token with 401 invalid_token saying which rule failed", async () => {
    const app = await createTestApp("badtok");
    const other = await createTestApp("badtok2");
    const now = Math.floor(Date.now() / 1000);
    const none = `${Buffer.from(JSON.stringify({ alg: "none", kid: app.kid })).toString("base64url")}.${Buffer.from(JSON.stringify({ sub: "x", aud: "herald", iat: now, exp: now + 60 })).toString("base64url")}.`;
    const cases: [string, string, RegExp][] = [
      ["wrong signature", await mintSubscriberToken({ kid: app.kid, secret: "hsk_not-the-secret" }, "x"), /signature/],
      ["another app's key", await mintSubscriberToken({ kid: app.kid, secret: other.secret }, "x"), /signature/],
      ["unknown kid", await mintSubscriberToken({ kid: "key_AAAAAAAAAAAA", secret: app.secret }, "x"), /Unknown signing key/],
      ["expired", await mintSubscriberToken(app, "x", { iat: now - 7200, expiresIn: 3600 }), /expired/],
      ["wrong aud", await mintSubscriberToken(app, "x", { aud: "someone-else" }), /audience/],
      ["alg none", none, /HS256/],
      ["over 24 h", await mintSubscriberToken(app, "x", { expiresIn: 25 * 3600 }), /24 hours/],
    ];
    for (const [what, token, message] of cases) {
      const res = await asSubscriber(token).json("/api/notifications");
      expect(res.status, what).toBe(401);
      expect(res.body.error.code, what).toBe("invalid_token");
      expect(res.body.error.message, what).toMatch(message);
      expect(res.body.error.message, what).not.toContain(app.secret);
    }
    const [{ n }] = await testSql()`select count(*)::int as n from users where app_id = ${app.id}`;
    expect(n).toBe(0);
  });

  it("a disallowed Origin gets 403 and no CORS headers; preflights answer only origins some app allows", async () => {
    const app = await createTestApp("origins", [HOST_PAGE]);
    const token = await mintSubscriberToken(app, "o_1");
    const evil = await asSubscriber(token, "https://evil.example").json("/api/notifications");
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe("origin_not_allowed");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const evilStream = await fetch(`${new Client().baseUrl}/api/notifications/stream`, { headers: { Authorization: `Bearer ${token}`, Origin: "https://evil.example" } });
    expect(evilStream.status).toBe(403);
    expect(evilStream.headers.get("access-control-allow-origin")).toBeNull();
    await evilStream.body?.cancel();

    const preflight = (origin: string, path = "/api/notifications") =>
      fetch(`${new Client().baseUrl}${path}`, { method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" } });
    for (const path of ["/api/notifications", "/api/notifications/stream", "/api/preferences", "/api/notifications/read-all"]) {
      const ok = await preflight(HOST_PAGE, path);
      expect(ok.status, path).toBe(204);
      expect(ok.headers.get("access-control-allow-origin"), path).toBe(HOST_PAGE);
      expect(ok.headers.get("access-control-allow-headers")).toBe("authorization, content-type, last-event-id, idempotency-key");
      expect(ok.headers.get("access-control-max-age")).toBe("600");
      expect(ok.headers.get("vary")).toContain("Origin");
      expect(ok.headers.get("access-control-allow-credentials")).toBeNull();
    }
    const no = await preflight("https://evil.example");
    expect(no.status).toBe(204);
    expect(no.headers.get("access-control-allow-origin")).toBeNull();
    expect(no.headers.get("access-control-allow-methods")).toBeNull();
  });

  it("are accepted nowhere but the person routes", async () => {
    const app = await createTestApp("nowhere");
    const sub = asSubscriber(await mintSubscriberToken(app, "n_1"), null);
    for (const [method, path] of [["GET", "/api/tokens"], ["GET", "/api/apps"], ["GET", "/api/rooms"], ["GET", "/api/admin/stats"], ["POST", "/api/notifications/test"], ["POST", "/api/v1/notifications"]]) {
      const res = await sub.json(path, { method, body: method === "POST" ? { title: "x", to: "n_1" } : undefined });
      expect([401, 403], `${method} ${path}`).toContain(res.status);
    }
  });

  it("a stream ends with token-expired when its token does, and resumes gaplessly with a fresh token", async () => {
    const app = await createTestApp("expiry");
    const first = await asSubscriber(await mintSubscriberToken(app, "e_1", { expiresIn: 2 })).stream();
    let lastId: string;
    try {
      const sent = await service("/api/v1/notifications", { token: app.token.secret, body: { to: "e_1", title: "Before expiry" } });
      const live = await first.waitFor((e) => e.event === "notification.created");
      expect(live.data.id).toBe(sent.body.notifications[0].id);
      const closed = await first.waitFor((e) => e.event === "stream.closed", 5_000);
      expect(closed.data.reason).toBe("token-expired");
      lastId = first.lastId!;
    } finally {
      first.close();
    }
    // Sent while no stream was open: the resume with a fresh token replays it.
    await service("/api/v1/notifications", { token: app.token.secret, body: { to: "e_1", title: "While away" } });
    const again = await SseReader.open(new Client(), "", { Authorization: `Bearer ${await mintSubscriberToken(app, "e_1")}`, Origin: HOST_PAGE, "Last-Event-ID": lastId! });
    try {
      const replayed = await again.waitFor((e) => e.event === "notification.created");
      expect(replayed.data.title).toBe("While away");
    } finally {
      again.close();
    }
  });

  it("deleting the signing key fails its tokens at once and ends open streams within 5 s; the other key keeps working", async () => {
    const app = await createTestApp("rotate");
    const second = await app.admin.json(`/api/apps/${app.id}/signing-keys`, { method: "POST" });
    expect(second.status).toBe(201);
    const oldToken = await mintSubscriberToken(app, "r_1");
    const newToken = await mintSubscriberToken(second.body, "r_1");
    const stream = await asSubscriber(oldToken).stream();
    try {
      expect((await app.admin.json(`/api/apps/${app.id}/signing-keys/${app.kid}`, { method: "DELETE" })).status).toBe(204);
      expect((await asSubscriber(oldToken).json("/api/notifications")).status).toBe(401);
      expect((await asSubscriber(newToken).json("/api/notifications")).status).toBe(200);
      const closed = await stream.waitFor((e) => e.event === "stream.closed", 5_000);
      expect(closed.data.reason).toBe("token-revoked");
    } finally {
      stream.close();
    }
  });
});

describe("isolation between apps and Herald's own accounts", () => {
  it("app A's tokens touch nothing of app B or of accounts", async () => {
    const a = await createTestApp("isoa");
    const b = await createTestApp("isob");
    const account = await createTestUser("isoacct");
    const bSent = await service("/api/v1/notifications", { token: b.token.secret, body: { to: "same_id", title: "B's" } });
    const bId = bSent.body.notifications[0].id;
    // The same external id in app A is another person.
    const aSent = await service("/api/v1/notifications", { token: a.token.secret, body: { to: "same_id", title: "A's" } });
    expect(aSent.body.notifications[0].userId).not.toBe(bSent.body.notifications[0].userId);
    const aSub = asSubscriber(await mintSubscriberToken(a, "same_id"));
    expect((await aSub.json("/api/notifications")).body.items.map((n: any) => n.title)).toEqual(["A's"]);
    for (const [method, path] of [["GET", `/api/notifications/${bId}`], ["PATCH", `/api/notifications/${bId}`], ["DELETE", `/api/notifications/${bId}`], ["POST", `/api/notifications/${bId}/read`], ["POST", `/api/notifications/${bId}/click`]]) {
      const res = await aSub.json(path, { method, body: method === "PATCH" ? { read: true } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const batch = await aSub.json("/api/notifications/batch", { body: { ids: [bId], action: "archive" } });
    expect([200, 400, 404]).toContain(batch.status);
    const [bRow] = await testSql()`select read_at, archived_at from notifications where id = ${bId}`;
    expect(bRow).toEqual({ read_at: null, archived_at: null });
    // An account's id or email is just an external id to an app token: it reaches no account.
    const toAccount = await service("/api/v1/notifications", { token: a.token.secret, body: { to: [account.id, account.email], title: "Not for you" } });
    expect(toAccount.status).toBe(201);
    const [{ n }] = await testSql()`select count(*)::int as n from notifications where user_id = ${account.id}`;
    expect(n).toBe(0);
    // Nor does a users token reach a subscriber by id.
    const { token: usersToken } = await createAdminToken("isousers");
    const toSubscriber = await service("/api/v1/notifications", { token: usersToken.secret, body: { to: aSent.body.notifications[0].userId, title: "x" } });
    expect(toSubscriber.status).toBe(422);
    // App A's token cannot read or erase B's subscribers (they do not exist in A).
    expect((await service("/api/v1/subscribers/same_id", { token: a.token.secret, method: "DELETE" })).status).toBe(204);
    expect((await service("/api/v1/subscribers/same_id", { token: b.token.secret })).status).toBe(200);
    // A self token manages no subscribers.
    const member = await Client.signedIn(await createTestUser("isoself"));
    const self = await createToken(member, "self");
    expect((await service("/api/v1/subscribers/x", { token: self.secret, method: "PUT", body: {} })).status).toBe(403);
  });
});
