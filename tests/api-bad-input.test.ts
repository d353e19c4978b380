import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken, openRoom, service, snapshot } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createAdminUser, createTestUser, type TestUser } from "./support/users";

afterAll(closeTestSql);

type Ctx = {
  owner: TestUser;
  other: TestUser;
  third: TestUser;
  me: Client;
  mine: string;
  theirs: string;
  room: string;
  othersRoom: string;
  token: string;
  /** A member's token: it may notify only its owner (`other`). */
  memberToken: string;
  revoked: string;
  othersTokenId: string;
};
type Row = {
  name: string;
  /** owner: signed-in cookie client (sends this site's Origin unless told otherwise); anon: no cookie; service: bearer token. */
  as: "owner" | "anon" | "service";
  method?: string;
  path: (c: Ctx) => string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  token?: (c: Ctx) => string | undefined;
  status: number;
  code?: string;
};

const big = (kb: number) => "x".repeat(kb * 1024);
const note = (c: Ctx, extra: object = {}) => ({ to: c.other.id, title: "hello", ...extra });
const ctx = {} as Ctx;
const NUL = "\u0000";
/** `[[[…1…]]]`, `depth` arrays deep, as JSON text (JSON.stringify itself would recurse). */
const nestedRaw = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;
const nested = (depth: number): unknown => JSON.parse(nestedRaw(depth));
const deepMetadata = (c: Ctx, depth: number) =>
  `{"to":"${c.other.id}","title":"deep","metadata":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;

/** A NUL in every text field a client can send, and in metadata keys at any depth. */
function nulRows(): Case[] {
  const v1 = (name: string, extra: (c: Ctx) => object) =>
    dyn(`NUL in ${name}`, (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, extra(c)), status: 400, code: "validation_error" }));
  const cookie = (name: string, method: string, path: (c: Ctx) => string, body?: unknown) =>
    fixed({ name: `NUL in ${name}`, as: "owner", method, path, body, status: 400, code: "validation_error" });
  return [
    v1("the title", () => ({ title: `hi${NUL}there` })),
    v1("the body", () => ({ body: `a${NUL}` })),
    v1("the action label", () => ({ actionUrl: "/x", actionLabel: `Open${NUL}` })),
    v1("the action URL", () => ({ actionUrl: `/x${NUL}y` })),
    v1("the subject", () => ({ subject: { type: `in${NUL}voice`, id: "1" } })),
    v1("a metadata value", () => ({ metadata: { note: `x${NUL}` } })),
    v1("a metadata key", () => ({ metadata: { [`k${NUL}`]: 1 } })),
    v1("a nested metadata key", () => ({ metadata: { a: { b: [{ [`${NUL}`]: true }] } } })),
    v1("a nested metadata value", () => ({ metadata: { a: [1, { b: `${NUL}` }] } })),
    v1("a recipient", () => ({ to: [`someone${NUL}@test.example`] })),
    cookie("the search", "GET", () => `/api/notifications?q=${encodeURIComponent(`a${NUL}b`)}`),
    cookie("a cursor", "GET", () => `/api/notifications?before=${encodeURIComponent(`bjox${NUL}`)}`),
    cookie("a PATCH key", "PATCH", (c) => `/api/notifications/${c.mine}`, { [`read${NUL}`]: true }),
    cookie("the time zone", "PUT", () => "/api/preferences", { quietHours: { timeZone: `Europe/Paris${NUL}` } }),
    cookie("a chat message", "POST", (c) => `/api/rooms/${c.room}/messages`, { body: `hello${NUL}` }),
    cookie("a participant email", "POST", () => "/api/rooms", { participantEmail: `a${NUL}@test.example` }),
    cookie("a token name", "POST", () => "/api/tokens", { name: `ci${NUL}bot` }),
    cookie("a demo title", "POST", () => "/api/notifications/test", { title: `demo${NUL}` }),
    cookie("a demo body", "POST", () => "/api/notifications/test", { title: "demo", body: `${NUL}` }),
    cookie("a demo action label", "POST", () => "/api/notifications/test", { title: "demo", actionUrl: "/x", actionLabel: `go${NUL}` }),
  ];
}

// Every row must leave the database exactly as it was (see snapshot()), whatever it answers.
type Case = { name: string; make: (c: Ctx) => Omit<Row, "name"> };
const fixed = ({ name, ...row }: Row): Case => ({ name, make: () => row });
const dyn = (name: string, make: (c: Ctx) => Omit<Row, "name">): Case => ({ name, make });

const rows: Case[] = [
  // --- query strings and path ids
  fixed({ name: "limit not a number", as: "owner", path: () => "/api/notifications?limit=abc", status: 400, code: "validation_error" }),
  fixed({ name: "negative limit", as: "owner", path: () => "/api/notifications?limit=-5", status: 400, code: "validation_error" }),
  fixed({ name: "huge limit", as: "owner", path: () => "/api/notifications?limit=100000000000", status: 400, code: "validation_error" }),
  fixed({ name: "SQL in the cursor", as: "owner", path: () => `/api/notifications?cursor=${encodeURIComponent("' OR 1=1 --")}`, status: 400, code: "validation_error" }),
  fixed({ name: "forged cursor", as: "owner", path: () => `/api/notifications?before=${Buffer.from("n:abc").toString("base64url")}`, status: 400, code: "validation_error" }),
  fixed({ name: "cursor past the id range", as: "owner", path: () => "/api/notifications?before=1000000000000000", status: 400, code: "validation_error" }),
  fixed({ name: "unknown status", as: "owner", path: () => "/api/notifications?status=deleted", status: 400, code: "validation_error" }),
  fixed({ name: "unknown query field", as: "owner", path: () => "/api/notifications?admin=true", status: 400, code: "validation_error" }),
  fixed({ name: "non-numeric id", as: "owner", path: () => "/api/notifications/abc", status: 400, code: "validation_error" }),
  fixed({ name: "negative id", as: "owner", path: () => "/api/notifications/-1", status: 400, code: "validation_error" }),
  fixed({ name: "zero id", as: "owner", path: () => "/api/notifications/0", status: 400, code: "validation_error" }),
  fixed({ name: "huge id", as: "owner", path: () => "/api/notifications/99999999999999999999", status: 400, code: "validation_error" }),
  fixed({ name: "fractional id", as: "owner", path: () => "/api/notifications/1.5", status: 400, code: "validation_error" }),
  fixed({ name: "SQL as id", as: "owner", method: "DELETE", path: () => `/api/notifications/${encodeURIComponent("1 or 1=1")}`, status: 400, code: "validation_error" }),
  fixed({ name: "another user's notification", as: "owner", path: (c) => `/api/notifications/${c.theirs}`, status: 404, code: "not_found" }),
  // --- bodies
  fixed({ name: "read is a string", as: "owner", method: "PATCH", path: (c) => `/api/notifications/${c.mine}`, body: { read: "yes" }, status: 400, code: "validation_error" }),
  fixed({ name: "extra field in PATCH", as: "owner", method: "PATCH", path: (c) => `/api/notifications/${c.mine}`, body: { read: true, userId: "x" }, status: 400, code: "validation_error" }),
  fixed({ name: "empty PATCH", as: "owner", method: "PATCH", path: (c) => `/api/notifications/${c.mine}`, body: {}, status: 400, code: "validation_error" }),
  fixed({ name: "PATCH another user's notification", as: "owner", method: "PATCH", path: (c) => `/api/notifications/${c.theirs}`, body: { archived: true }, status: 404, code: "not_found" }),
  fixed({ name: "DELETE another user's notification", as: "owner", method: "DELETE", path: (c) => `/api/notifications/${c.theirs}`, status: 404, code: "not_found" }),
  fixed({ name: "mark another user's notification read", as: "owner", method: "POST", path: (c) => `/api/notifications/${c.theirs}/read`, status: 404, code: "not_found" }),
  fixed({ name: "text/plain body", as: "owner", method: "PATCH", path: (c) => `/api/notifications/${c.mine}`, raw: '{"read":true}', headers: { "Content-Type": "text/plain" }, status: 415, code: "unsupported_media_type" }),
  fixed({ name: "broken JSON", as: "owner", method: "PATCH", path: (c) => `/api/notifications/${c.mine}`, raw: '{"read":', status: 400, code: "invalid_json" }),
  fixed({ name: "batch ids not an array", as: "owner", method: "POST", path: () => "/api/notifications/batch", body: { ids: "1", action: "read" }, status: 400, code: "validation_error" }),
  fixed({ name: "batch of 501 ids", as: "owner", method: "POST", path: () => "/api/notifications/batch", body: { ids: Array.from({ length: 501 }, (_, i) => String(i + 1)), action: "read" }, status: 400, code: "validation_error" }),
  fixed({ name: "SQL in batch ids", as: "owner", method: "POST", path: () => "/api/notifications/batch", body: { ids: ["1; drop table notifications"], action: "delete" }, status: 400, code: "validation_error" }),
  fixed({ name: "batch without action", as: "owner", method: "POST", path: (c) => "/api/notifications/batch", body: { ids: ["1"] }, status: 400, code: "validation_error" }),
  dyn("batch on other users' ids changes nothing", (c) => ({ as: "owner", method: "POST", path: () => "/api/notifications/batch", body: { ids: [c.theirs], action: "delete" }, status: 200 })),
  fixed({ name: "read-all upTo not an id", as: "owner", method: "POST", path: () => "/api/notifications/read-all", body: { upTo: "latest" }, status: 400, code: "validation_error" }),
  fixed({ name: "quiet hours at 25:00", as: "owner", method: "PUT", path: () => "/api/preferences", body: { quietHours: { start: "25:00" } }, status: 400, code: "validation_error" }),
  fixed({ name: "unknown category preference", as: "owner", method: "PUT", path: () => "/api/preferences", body: { categories: { spam: { muted: true } } }, status: 400, code: "validation_error" }),
  fixed({ name: "script as a boolean", as: "owner", method: "PUT", path: () => "/api/preferences", body: { soundEnabled: "<script>alert(1)</script>" }, status: 400, code: "validation_error" }),
  fixed({ name: "huge preferences body", as: "owner", method: "PUT", path: () => "/api/preferences", body: { quietHours: { timeZone: big(70) } }, status: 413, code: "payload_too_large" }),
  fixed({ name: "SQL as an email", as: "owner", method: "POST", path: () => "/api/rooms", body: { participantEmail: "' OR 1=1 --" }, status: 400, code: "validation_error" }),
  fixed({ name: "room id not a uuid", as: "owner", method: "POST", path: () => "/api/rooms/42/messages", body: { body: "hi" }, status: 400, code: "validation_error" }),
  fixed({ name: "someone else's room", as: "owner", method: "POST", path: (c) => `/api/rooms/${c.othersRoom}/messages`, body: { body: "hi" }, status: 404, code: "not_found" }),
  fixed({ name: "empty message", as: "owner", method: "POST", path: (c) => `/api/rooms/${c.room}/messages`, body: { body: "   " }, status: 400, code: "validation_error" }),
  fixed({ name: "message too long", as: "owner", method: "POST", path: (c) => `/api/rooms/${c.room}/messages`, body: { body: "x".repeat(4001) }, status: 400, code: "validation_error" }),
  fixed({ name: "message body missing", as: "owner", method: "POST", path: (c) => `/api/rooms/${c.room}/messages`, body: { text: "hi" }, status: 400, code: "validation_error" }),
  fixed({ name: "token name empty", as: "owner", method: "POST", path: () => "/api/tokens", body: { name: "" }, status: 400, code: "validation_error" }),
  fixed({ name: "token with extra scopes", as: "owner", method: "POST", path: () => "/api/tokens", body: { name: "x", scopes: ["admin"] }, status: 400, code: "validation_error" }),
  fixed({ name: "revoke a non-uuid token", as: "owner", method: "DELETE", path: () => "/api/tokens/123", status: 400, code: "validation_error" }),
  fixed({ name: "revoke another user's token", as: "owner", method: "DELETE", path: (c) => `/api/tokens/${c.othersTokenId}`, status: 404, code: "not_found" }),
  // --- CSRF: cookie-authenticated unsafe requests must come from this site
  fixed({ name: "no Origin", as: "owner", method: "POST", path: (c) => `/api/rooms/${c.room}/messages`, body: { body: "hi" }, headers: { Origin: "" }, status: 403, code: "forbidden" }),
  fixed({ name: "foreign Origin", as: "owner", method: "DELETE", path: (c) => `/api/notifications/${c.mine}`, headers: { Origin: "https://evil.example" }, status: 403, code: "forbidden" }),
  fixed({ name: "null Origin", as: "owner", method: "POST", path: () => "/api/tokens", body: { name: "csrf" }, headers: { Origin: "null" }, status: 403, code: "forbidden" }),
  fixed({ name: "Sec-Fetch-Site cross-site", as: "owner", method: "PUT", path: () => "/api/preferences", body: { soundEnabled: false }, headers: { "Sec-Fetch-Site": "cross-site" }, status: 403, code: "forbidden" }),
  fixed({ name: "Sec-Fetch-Site same-site", as: "owner", method: "POST", path: () => "/api/notifications/read-all", body: {}, headers: { "Sec-Fetch-Site": "same-site" }, status: 403, code: "forbidden" }),
  // --- authentication and methods
  fixed({ name: "signed out list", as: "anon", path: () => "/api/notifications", status: 401, code: "unauthorized" }),
  fixed({ name: "signed out token creation", as: "anon", method: "POST", path: () => "/api/tokens", body: { name: "x" }, status: 401, code: "unauthorized" }),
  fixed({ name: "PUT on the list", as: "owner", method: "PUT", path: () => "/api/notifications", body: {}, status: 405, code: "method_not_allowed" }),
  fixed({ name: "GET a token", as: "owner", path: (c) => `/api/tokens/${c.othersTokenId}`, status: 405, code: "method_not_allowed" }),
  fixed({ name: "DELETE on the service API", as: "service", method: "DELETE", path: () => "/api/v1/notifications", status: 405, code: "method_not_allowed" }),
  fixed({ name: "unknown API path", as: "owner", path: () => "/api/nothing-here", status: 404, code: "not_found" }),
  // --- service API
  fixed({ name: "no Authorization", as: "service", token: () => undefined, method: "POST", path: () => "/api/v1/notifications", body: { to: "a@b.co", title: "x" }, status: 401, code: "unauthorized" }),
  fixed({ name: "garbage bearer token", as: "service", token: () => "garbage", method: "POST", path: () => "/api/v1/notifications", body: { to: "a@b.co", title: "x" }, status: 401, code: "invalid_token" }),
  fixed({ name: "Basic instead of Bearer", as: "service", method: "POST", path: () => "/api/v1/notifications", headers: { Authorization: "Basic YWxpY2U6c2VjcmV0" }, token: () => undefined, body: { to: "a@b.co", title: "x" }, status: 401, code: "invalid_token" }),
  fixed({ name: "well-formed unknown token", as: "service", token: () => `hrld_${"A".repeat(43)}`, method: "POST", path: () => "/api/v1/notifications", body: { to: "a@b.co", title: "x" }, status: 401, code: "invalid_token" }),
  dyn("revoked token", (c) => ({ as: "service", token: () => c.revoked, method: "POST", path: () => "/api/v1/notifications", body: note(c), status: 401, code: "invalid_token" })),
  dyn("unknown recipient", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { to: [c.other.email, "ghost@test.example"] }), status: 422, code: "unknown_recipients" })),
  dyn("unknown actor", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { actorId: "00000000-0000-4000-8000-000000000000" }), status: 422, code: "unknown_actor" })),
  dyn("title missing", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: { to: c.other.id }, status: 400, code: "validation_error" })),
  dyn("title too long", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { title: "x".repeat(201) }), status: 400, code: "validation_error" })),
  dyn("unknown category", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { category: "spam" }), status: 400, code: "validation_error" })),
  dyn("priority as a number", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { priority: 5 }), status: 400, code: "validation_error" })),
  dyn("no recipients", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { to: [] }), status: 400, code: "validation_error" })),
  dyn("1,001 recipients", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { to: Array(1001).fill(c.other.id) }), status: 400, code: "validation_error" })),
  dyn("recipient neither id nor email", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { to: [c.other.id, "' OR 1=1 --"] }), status: 400, code: "validation_error" })),
  dyn("javascript: action URL", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { actionUrl: "javascript:alert(1)" }), status: 400, code: "validation_error" })),
  dyn("expiry in the past", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { expiresAt: "2001-01-01T00:00:00Z" }), status: 400, code: "validation_error" })),
  dyn("server-owned field", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { readAt: "2030-01-01T00:00:00Z" }), status: 400, code: "validation_error" })),
  dyn("metadata over 8 KB", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { metadata: { blob: big(9) } }), status: 400, code: "validation_error" })),
  dyn("body over 256 KB", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { body: big(300) }), status: 413, code: "payload_too_large" })),
  dyn("form-encoded body", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", raw: `to=${c.other.id}&title=x`, headers: { "Content-Type": "application/x-www-form-urlencoded" }, status: 415, code: "unsupported_media_type" })),
  dyn("Idempotency-Key with spaces", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c), headers: { "Idempotency-Key": "not a key" }, status: 400, code: "validation_error" })),
  dyn("self token to someone else", (c) => ({ as: "service", token: () => c.memberToken, method: "POST", path: () => "/api/v1/notifications", body: note(c, { to: [c.other.id, c.owner.email] }), status: 403, code: "recipient_not_allowed" })),
  dyn("self token to an unknown address", (c) => ({ as: "service", token: () => c.memberToken, method: "POST", path: () => "/api/v1/notifications", body: note(c, { to: "ghost@test.example" }), status: 403, code: "recipient_not_allowed" })),
  dyn("self token naming another actor", (c) => ({ as: "service", token: () => c.memberToken, method: "POST", path: () => "/api/v1/notifications", body: note(c, { actorId: c.third.id }), status: 403, code: "actor_not_allowed" })),
  fixed({ name: "service GET non-numeric id", as: "service", path: () => "/api/v1/notifications/abc", status: 400, code: "validation_error" }),
  // --- NUL characters (PostgreSQL cannot store them) and nesting deep enough to overflow a recursion
  ...nulRows(),
  dyn("metadata 20,000 levels deep", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", raw: deepMetadata(c, 20_000), status: 400, code: "validation_error" })),
  dyn("metadata 21 levels deep", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", raw: deepMetadata(c, 21), status: 400, code: "validation_error" })),
  dyn("metadata array 30 levels deep", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", body: note(c, { metadata: { list: nested(30) } }), status: 400, code: "validation_error" })),
  dyn("recipients nested 20,000 deep", (c) => ({ as: "service", method: "POST", path: () => "/api/v1/notifications", raw: `{"title":"x","to":${nestedRaw(20_000)}}`, status: 400, code: "validation_error" })),
  fixed({ name: "preferences nested 20,000 deep", as: "owner", method: "PUT", path: () => "/api/preferences", raw: `{"soundEnabled":${nestedRaw(20_000)}}`, status: 400, code: "validation_error" }),
  fixed({ name: "batch ids nested 20,000 deep", as: "owner", method: "POST", path: () => "/api/notifications/batch", raw: `{"action":"read","ids":${nestedRaw(20_000)}}`, status: 400, code: "validation_error" }),
  dyn("service GET a notification it did not create", (c) => ({ as: "service", path: () => `/api/v1/notifications/${c.mine}`, status: 404, code: "not_found" })),
];

async function send(c: Ctx, row: Row) {
  const method = row.method ?? "GET";
  const payload = row.raw ?? (row.body === undefined ? undefined : JSON.stringify(row.body));
  if (row.as === "service") {
    const token = row.token ? row.token(c) : c.token;
    return service(row.path(c), { token, method, body: payload, headers: row.headers });
  }
  const client = row.as === "owner" ? c.me : new Client();
  const headers = { ...(payload !== undefined ? { "Content-Type": "application/json" } : {}), ...row.headers };
  const res = await client.fetch(row.path(c), { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

describe("bad input is refused with a clear error and changes nothing", () => {
  beforeAll(async () => {
    // The owner is an admin, so its token may address the others and reach each check below.
    const [owner, other, third] = await Promise.all([createAdminUser("badowner"), createTestUser("badother"), createTestUser("badthird")]);
    const me = await Client.signedIn(owner);
    const them = await Client.signedIn(other);
    const [mine] = await testSql()`insert into notifications (user_id, title) values (${owner.id}, 'mine') returning id`;
    const [theirs] = await testSql()`insert into notifications (user_id, title) values (${other.id}, 'theirs') returning id`;
    const room = await openRoom(me, other.email);
    const othersRoom = await openRoom(them, third.email);
    const token = await createToken(me, "bad-input", { scope: "users" });
    const revoked = await createToken(me, "revoked");
    await me.json(`/api/tokens/${revoked.id}`, { method: "DELETE" });
    const othersToken = await createToken(them, "theirs");
    Object.assign(ctx, { owner, other, third, me, mine: String(mine.id), theirs: String(theirs.id), room, othersRoom, token: token.secret, memberToken: othersToken.secret, revoked: revoked.secret, othersTokenId: othersToken.id });
  });

  it("has at least 40 rows", () => expect(rows.length).toBeGreaterThanOrEqual(40));

  it.each(rows.map((r) => [r.name, r] as const))("%s", async (name, spec) => {
    const row: Row = { name, ...spec.make(ctx) };
    const users = [ctx.owner.id, ctx.other.id, ctx.third.id];
    const before = await snapshot(users);
    const res = await send(ctx, row);
    expect(res.status, `${row.name}: ${JSON.stringify(res.body)}`).toBe(row.status);
    if (row.code) {
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.body.error).toMatchObject({ code: row.code, message: expect.any(String) });
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    expect(await snapshot(users), `${row.name} changed the database`).toEqual(before);
  });
});
