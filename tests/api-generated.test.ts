import { randomUUID } from "node:crypto";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken, openRoom, service, type ServiceToken } from "./support/api";
import { closeTestSql } from "./support/db";
import { BASE_URL } from "./support/env";
import { unsubscribeToken } from "@/lib/email/unsubscribe";
import { Generator, rng, type Rng, type Samples } from "./support/openapi-gen";
import { pushDevice } from "./support/push-service";
import { Client, createAdminUser, createTestUser, type TestUser } from "./support/users";

/**
 * Requests generated from GET /api/openapi.json itself: for every operation, several requests the
 * document calls valid must succeed (2xx, body matching the documented schema), and requests that
 * break one documented rule must get the documented 400 with the documented error body. Nothing
 * here names a field: a field added to the document is generated and checked automatically.
 */

afterAll(closeTestSql);

const doc: any = await (await fetch(`${BASE_URL()}/api/openapi.json`)).json();
const DOC_ID = "https://herald.test/openapi.json";
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...doc, $id: DOC_ID });
const SEED = Number(process.env.HERALD_GEN_SEED ?? 20261201);
const VALID_PER_OPERATION = 5;
const INVALID_PER_OPERATION = 6;

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
/** The validator of the schema at this JSON pointer of the document (so its $refs resolve as published). */
function schemaAt(ptr: string) {
  let v = compiled.get(ptr);
  if (!v) compiled.set(ptr, (v = ajv.compile({ $ref: `${DOC_ID}#/${ptr}` })));
  return v;
}

type Op = { method: string; path: string; spec: any; ptr: string };
const ops: Op[] = Object.entries<any>(doc.paths).flatMap(([path, item]) =>
  Object.entries<any>(item).map(([method, spec]) => ({ method, path, spec, ptr: pointer("paths", path, method) })),
);
/** The JSON (or 204) operations; the event stream and the document itself are checked elsewhere. */
const testable = ops.filter((op) =>
  Object.entries<any>(op.spec.responses).some(([status, r]) => status.startsWith("2") && (status === "204" || r.content?.["application/json"])),
);

type Ctx = { owner: TestUser; other: TestUser; me: Client; token: ServiceToken; appId: string; appToken: ServiceToken; room: string; fresh: string[]; v1Id: string; samples: Samples };
const ctx = {} as Ctx;

/** Every service token of this test comes from here: an admin's, so generated recipients and actors are in scope. */
const makeToken = (client: Client) => createToken(client, `generated-${randomUUID().slice(0, 6)}`, { scope: "users" });

/** A fresh app of the test's admin (its first signing key is created with it). */
async function newApp(): Promise<string> {
  const res = await ctx.me.json("/api/apps", { body: { name: `generated ${randomUUID().slice(0, 6)}`, allowedOrigins: ["https://shop.example"] } });
  if (res.status !== 201) throw new Error(`app creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.app.id;
}

async function burst(count: number): Promise<string[]> {
  const res = await ctx.me.json("/api/notifications/test", { body: { title: "seed", count } });
  if (res.status !== 201) throw new Error(`seeding failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items.map((n: { id: string }) => n.id);
}

/** A fresh app with one webhook endpoint (to a host that does not resolve: its sends fail quietly). */
async function newWebhook(): Promise<{ id: string; wid: string }> {
  const id = await newApp();
  const res = await ctx.me.json(`/api/apps/${id}/webhooks`, { body: { url: "https://hooks.invalid/herald", events: ["notification.read"] } });
  if (res.status !== 201) throw new Error(`webhook creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id, wid: res.body.id };
}

/** Path parameters name things that must exist and be ours: each comes from an object this test made. */
const PUSH_SAMPLE = pushDevice("https://fcm.googleapis.com/fcm/send/sample");

const pathParams: Record<string, () => Promise<Record<string, string>>> = {
  "/api/notifications/{id}": async () => ({ id: ctx.fresh.pop()! }),
  "/api/notifications/{id}/read": async () => ({ id: ctx.fresh.pop()! }),
  "/api/notifications/{id}/click": async () => ({ id: ctx.fresh.pop()! }),
  "/api/rooms/{roomId}/messages": async () => ({ roomId: ctx.room }),
  "/api/tokens/{id}": async () => ({ id: (await makeToken(ctx.me)).id }),
  "/api/v1/notifications/{id}": async () => ({ id: ctx.v1Id }),
  "/api/email/unsubscribe/{token}": async () => ({ token: unsubscribeToken({ userId: ctx.owner.id, scope: "report" }) }),
  "/api/apps/{id}": async () => ({ id: await newApp() }),
  "/api/apps/{id}/signing-keys": async () => ({ id: await newApp() }),
  "/api/apps/{id}/signing-keys/{kid}": async () => {
    const id = await newApp();
    const res = await ctx.me.json(`/api/apps/${id}/signing-keys`, { method: "POST" });
    return { id, kid: res.body.kid };
  },
  "/api/apps/{id}/webhooks": async () => ({ id: await newApp() }),
  "/api/apps/{id}/webhooks/{wid}": newWebhook,
  "/api/apps/{id}/webhooks/{wid}/test": newWebhook,
  "/api/apps/{id}/webhooks/{wid}/rotate-secret": newWebhook,
  "/api/apps/{id}/webhooks/{wid}/attempts": newWebhook,
  "/api/apps/{id}/webhooks/{wid}/events/{eventId}/replay": async () => {
    const hook = await newWebhook();
    const res = await ctx.me.json(`/api/apps/${hook.id}/webhooks/${hook.wid}/test`, { method: "POST" });
    return { ...hook, eventId: res.body.eventId };
  },
  "/api/v1/subscribers/{externalId}": async () => {
    const externalId = `gen_${randomUUID()}`;
    await service(`/api/v1/subscribers/${externalId}`, { token: ctx.appToken.secret, method: "PUT", body: { name: "Generated" } });
    return { externalId };
  },
  "/api/push/subscriptions/{id}": async () => {
    const res = await ctx.me.json("/api/push/subscriptions", { body: pushDevice(`https://fcm.googleapis.com/fcm/send/${randomUUID()}`) });
    return { id: res.body.id };
  },
};

beforeAll(async () => {
  // An admin: the document's requests include sending to other people, which members may not.
  ctx.owner = await createAdminUser("gen");
  ctx.other = await createTestUser("genpeer");
  ctx.me = await Client.signedIn(ctx.owner);
  ctx.token = await makeToken(ctx.me);
  ctx.appId = await newApp();
  ctx.appToken = await createToken(ctx.me, "generated-app", { scope: "app", appId: ctx.appId });
  ctx.room = await openRoom(ctx.me, ctx.other.email);
  ctx.fresh = await burst(40);
  const sampleIds = await burst(5);
  const v1 = await service("/api/v1/notifications", { token: ctx.token.secret, body: { to: ctx.owner.id, title: "from a service" } });
  ctx.v1Id = v1.body.notifications[0].id;
  ctx.samples = {
    email: [ctx.other.email],
    uuid: [ctx.other.id],
    patterned: [...sampleIds, PUSH_SAMPLE.endpoint, PUSH_SAMPLE.keys.p256dh, PUSH_SAMPLE.keys.auth, "tab-0123456789", "/inbox", "/", "https://example.com/invoices/42?tab=paid", "22:00", "07:30", "fr-CH", "https://shop.example", "http://localhost:4100", () => `key-${randomUUID()}`],
  };
});

type Request = { path: string; query: Record<string, unknown>; headers: Record<string, string>; body?: unknown };

const byToken = (op: Op) => op.spec.security?.some((s: object) => "serviceToken" in s);

/**
 * Which of the test's service tokens a request is for: the subscriber routes take the app's token,
 * and so does a notification whose body only the app form (`to` by external id) accepts.
 */
function tokenFor(op: Op, req: Request): ServiceToken {
  if (op.path.startsWith("/api/v1/subscribers")) return ctx.appToken;
  if (op.path === "/api/v1/notifications" && op.method === "post" && req.body !== undefined) {
    return schemaAt("components/schemas/CreateServiceNotification")(req.body) ? ctx.token : ctx.appToken;
  }
  return ctx.token;
}

/** Sends it as the document says (cookie + this site's Origin, or the token); `as: "anonymous"` sends neither. */
async function send(op: Op, req: Request, { as = "owner", method = op.method }: { as?: "owner" | "anonymous"; method?: string } = {}) {
  const qs = new URLSearchParams(Object.entries(req.query).map(([k, v]) => [k, String(v)])).toString();
  const url = `${req.path}${qs ? `?${qs}` : ""}`;
  const init = { method: method.toUpperCase(), body: req.body, headers: req.headers };
  if (byToken(op)) return service(url, { ...init, token: as === "owner" ? tokenFor(op, req).secret : undefined });
  return (as === "owner" ? ctx.me : new Client()).json(url, init);
}

/** Whether some documented path template matches this concrete path with this method. */
function documentedAt(path: string, method: string) {
  return Object.entries<any>(doc.paths).some(
    ([template, item]) => item[method] && new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`).test(path),
  );
}

/** The documented response for this status, with the pointer of its JSON schema (if it has a body). */
function documented(op: Op, status: number) {
  let r = op.spec.responses[String(status)];
  let ptr = pointer("paths", op.path, op.method, "responses", String(status));
  if (r?.$ref) {
    ptr = r.$ref.replace(/^#\//, "");
    r = ptr.split("/").reduce((n: any, k: string) => n[k], doc);
  }
  return r ? { ...r, schemaPtr: r.content?.["application/json"] ? `${ptr}/${pointer("content", "application/json", "schema")}` : null } : null;
}

function expectDocumented(op: Op, res: { status: number; body: unknown }, what: string) {
  const r = documented(op, res.status);
  expect(r, `${what}: ${res.status} is not documented (${JSON.stringify(res.body)})`).toBeTruthy();
  if (r.schemaPtr) {
    const validate = schemaAt(r.schemaPtr);
    expect(validate(res.body) ? [] : validate.errors, `${what}: the ${res.status} body does not match the document`).toEqual([]);
  } else {
    expect(res.body, `${what}: ${res.status} should have no body`).toBeNull();
  }
}

function params(op: Op, where: string): { name: string; required: boolean; schema: any; index: number }[] {
  return (op.spec.parameters ?? []).map((p: any, index: number) => ({ ...p, index })).filter((p: any) => p.in === where);
}

async function validRequest(op: Op, g: Generator, r: Rng): Promise<Request> {
  const path = params(op, "path").length ? await pathParams[op.path]?.() : {};
  if (!path) throw new Error(`${op.path}: add a path-parameter provider to this test`);
  const req: Request = { path: op.path.replace(/\{(\w+)\}/g, (_m, k) => encodeURIComponent(path[k])), query: {}, headers: {} };
  for (const p of params(op, "query")) if (p.required || r.chance(0.5)) req.query[p.name] = g.valid(p.schema);
  for (const p of params(op, "header")) if (p.required || r.chance(0.5)) req.headers[p.name] = String(g.valid(p.schema));
  const body = op.spec.requestBody;
  if (body && (body.required || r.chance(0.8))) req.body = g.valid(body.content["application/json"].schema);
  // Which push services an endpoint may be on is this server's setting (HERALD_PUSH_SERVICES), not a
  // pattern the document can state: a valid subscription is on one of them.
  if (op.path === "/api/push/subscriptions" && op.method === "post" && req.body) {
    req.body = { ...(req.body as object), endpoint: `https://fcm.googleapis.com/fcm/send/${randomUUID()}` };
  }
  // A bulk upsert names each subscriber once (a rule over the list's items the document states in words).
  if (op.path === "/api/v1/subscribers/bulk" && req.body) {
    const body = req.body as { subscribers: { externalId: string }[] };
    req.body = { subscribers: body.subscribers.map((s, i) => ({ ...s, externalId: `${s.externalId.slice(0, 190)}_${i}` })) };
  }
  // An app token names its app, and only an app token does: a rule across two fields the document states in words.
  if (op.path === "/api/tokens" && op.method === "post" && req.body) {
    const { appId: _appId, ...rest } = req.body as { scope?: string; appId?: string };
    req.body = rest.scope === "app" ? { ...rest, appId: ctx.appId } : rest;
  }
  return req;
}

describe("requests generated from the OpenAPI document", () => {
  it("covers every JSON operation", () => {
    expect(testable.length).toBeGreaterThanOrEqual(18);
  });

  for (const op of testable) {
    const name = `${op.method.toUpperCase()} ${op.path}`;
    const varies = Boolean(op.spec.requestBody || op.spec.parameters?.length);

    it(`${name}: valid requests succeed and answer what the document says`, async () => {
      const r = rng(SEED + op.ptr.length);
      const g = new Generator(doc, ctx.samples, r);
      for (let i = 0; i < (varies ? VALID_PER_OPERATION : 1); i++) {
        const req = await validRequest(op, g, r);
        if (req.body !== undefined) {
          const validate = schemaAt(`${op.ptr}/${pointer("requestBody", "content", "application/json", "schema")}`);
          expect(validate(req.body) ? [] : validate.errors, `the generator made an invalid body: ${JSON.stringify(req.body)}`).toEqual([]);
        }
        const res = await send(op, req);
        const what = `${name} #${i} ${JSON.stringify(req)}`;
        expect(res.status, `${what} -> ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${what} -> ${JSON.stringify(res.body)}`).toBeLessThan(300);
        expectDocumented(op, res, what);
      }
    });

    it(`${name}: refusals answer the documented status in the documented shape`, async () => {
      const r = rng(SEED + 13 * op.ptr.length);
      const base = await validRequest(op, new Generator(doc, ctx.samples, r), r);
      const cases: { why: string; status: number; res: Promise<{ status: number; headers: Headers; body: unknown }> }[] = [];
      if (op.spec.security?.length) cases.push({ why: "without credentials", status: 401, res: send(op, base, { as: "anonymous" }) });
      // The same-origin check guards unsafe methods; a GET's 403 (an admin-only read) is not about the origin.
      if (op.spec.responses["403"] && !byToken(op) && op.method !== "get") {
        cases.push({ why: "from another site", status: 403, res: send(op, { ...base, headers: { ...base.headers, Origin: "https://evil.example" } }) });
      }
      if (op.spec.requestBody) {
        const asText = { ...base, body: JSON.stringify(base.body ?? {}), headers: { ...base.headers, "Content-Type": "text/plain" } };
        cases.push({ why: "with a text/plain body", status: 415, res: send(op, asText) });
      }
      // A method no documented path answers at this URL (/api/v1/subscribers/bulk is also the subscriber "bulk").
      const missing = ["get", "post", "put", "patch", "delete"].find((m) => !documentedAt(base.path, m));
      if (missing) cases.push({ why: `with ${missing.toUpperCase()}`, status: 405, res: send(op, { ...base, body: undefined }, { method: missing }) });
      for (const c of cases) {
        const res = await c.res;
        expect(res.status, `${name} ${c.why} -> ${JSON.stringify(res.body)}`).toBe(c.status);
        expectDocumented(op, res, `${name} ${c.why}`);
        if (c.status === 405) expect(res.headers.get("allow")).toContain("OPTIONS");
      }
    });

    if (!varies) continue;
    it(`${name}: requests breaking one documented rule get the documented 400`, async () => {
      const r = rng(SEED + 7 * op.ptr.length);
      const g = new Generator(doc, ctx.samples, r);
      const base = await validRequest(op, g, r);
      const cases: { why: string; req: Request; field?: true }[] = [];
      const body = op.spec.requestBody?.content["application/json"].schema;
      if (body) {
        const valid = g.valid(body) as Record<string, unknown>;
        for (const v of g.objectViolations(body, valid)) cases.push({ why: `body ${v.why}`, req: { ...base, body: v.value }, field: v.field });
      }
      for (const p of params(op, "query")) {
        for (const v of g.violations(p.schema)) {
          if (typeof v.value === "object" || (g.resolve(p.schema).type === "string" && typeof v.value !== "string")) continue;
          if (!schemaAt(`${op.ptr}/parameters/${p.index}/schema`)(v.value)) cases.push({ why: `?${p.name} ${v.why}`, req: { ...base, query: { ...base.query, [p.name]: v.value } }, field: true });
        }
      }
      for (const p of params(op, "path")) {
        const s = g.resolve(p.schema);
        for (const v of (s.anyOf ?? [s]).flatMap((b: any) => g.violations(b))) {
          if (typeof v.value !== "string" || !v.value.trim() || v.value.includes("/")) continue;
          if (schemaAt(`${op.ptr}/parameters/${p.index}/schema`)(v.value)) continue;
          cases.push({ why: `{${p.name}} ${v.why}`, req: { ...base, path: op.path.replace(`{${p.name}}`, encodeURIComponent(v.value)) }, field: true });
        }
      }
      expect(cases.length, "no invalid request could be generated").toBeGreaterThan(0);
      // The object-level rules (required, unknown fields, dependencies, exclusions) always; a sample of the rest.
      const structural = cases.filter((c) => !c.field);
      const rest = cases.filter((c) => c.field);
      for (let i = rest.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [rest[i], rest[j]] = [rest[j], rest[i]];
      }
      for (const { why, req } of [...structural, ...rest.slice(0, INVALID_PER_OPERATION)]) {
        if (why.startsWith("body ")) {
          const validate = schemaAt(`${op.ptr}/${pointer("requestBody", "content", "application/json", "schema")}`);
          expect(validate(req.body), `the generator meant this body to be invalid (${why}): ${JSON.stringify(req.body)}`).toBe(false);
        }
        const res = await send(op, req);
        const what = `${name} ${why}: ${JSON.stringify(req)}`;
        expect(res.status, `${what} -> ${JSON.stringify(res.body)}`).toBe(400);
        expectDocumented(op, res, what);
      }
    });
  }
});
