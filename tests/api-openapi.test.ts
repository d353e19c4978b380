import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestSql } from "./support/db";
import { serveEverything, type Served } from "./support/every-route";
import { SecondInstance } from "./support/second-instance";

const API_DIR = path.resolve(__dirname, "..", "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every route file under app/api, as the path the document should list ([id] -> {id}). */
function routePaths(dir = API_DIR, prefix = "/api"): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (!statSync(full).isDirectory()) {
      if (entry === "route.ts") found.push(prefix);
      continue;
    }
    // Auth.js's own endpoints and the JSON 404 catch-all are not part of the documented API.
    if (entry === "auth" || entry.startsWith("[...")) continue;
    found.push(...routePaths(full, `${prefix}/${entry.replace(/^\[(.+)\]$/, "{$1}")}`));
  }
  return found;
}

const concrete = (p: string) => p.replace("{id}", "1").replace("{roomId}", "00000000-0000-4000-8000-000000000000");

let doc: any;
let served: Served[];
// A server of its own, asked for the document only after it has served everything else (as in
// production): the shared test server may have built and cached it before any other traffic.
let server: SecondInstance;

beforeAll(async () => {
  server = await SecondInstance.start(Number(process.env.HERALD_TEST_PORT_B), {});
  served = await serveEverything(server.url);
  const res = await fetch(`${server.url}/api/openapi.json`);
  expect(res.status, await res.clone().text()).toBe(200);
  doc = await res.json();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await closeTestSql();
});

describe("GET /api/openapi.json", () => {
  it("is served after every page and API route was (none of which answered 500)", () => {
    expect(served.length).toBeGreaterThan(40);
    expect(served.filter((s) => s.status >= 500)).toEqual([]);
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("resolves every $ref to a component", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      const [, kind, name] = /#\/components\/(schemas|responses)\/([^"]+)/.exec(ref) ?? [];
      expect(doc.components?.[kind]?.[name], ref).toBeDefined();
    }
  });

  it("is generated from the zod schemas the handlers use", async () => {
    const { createServiceNotificationSchema, RECIPIENTS_MAX } = await import("@/lib/validations/service-api");
    const body = doc.components.schemas.CreateServiceNotification;
    expect(body.additionalProperties).toBe(false); // strictObject: unknown fields rejected
    expect(Object.keys(body.properties).sort()).toEqual(Object.keys(createServiceNotificationSchema.shape).sort());
    expect(body.required).toEqual(["to", "title"]);
    expect(JSON.stringify(body.properties.to)).toContain(`"maxItems":${RECIPIENTS_MAX}`);
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toContain("idempotency_key_reused");
    // Rules zod checks in refinements are published too, from the same constants.
    const { ACTION_URL_PATTERN } = await import("@/lib/validations/notifications");
    expect(body.properties.actionUrl.pattern).toBe(ACTION_URL_PATTERN.source);
    expect(body.dependentRequired).toEqual({ actionLabel: ["actionUrl"] });
    const test = doc.paths["/api/notifications/test"].post;
    expect(test.requestBody.content["application/json"].schema.not).toEqual({ required: ["expiresAt", "expiresInSeconds"] });
    expect(test.responses["404"]).toBeDefined();
    expect(doc.paths["/api/notifications/{id}"].patch.requestBody.content["application/json"].schema.minProperties).toBe(1);
    const list = doc.paths["/api/notifications"].get.parameters.map((p: any) => p.name).sort();
    expect(list).toEqual(["after", "before", "category", "cursor", "groupKey", "limit", "priority", "q", "status"]);
  });

  it("documents every route file with exactly the methods it answers", async () => {
    const files = routePaths().sort();
    expect(Object.keys(doc.paths).sort()).toEqual(files);
    for (const p of files) {
      const res = await fetch(`${server.url}${concrete(p)}`, { method: "OPTIONS" });
      const allowed = (res.headers.get("allow") ?? "").split(",").map((m) => m.trim()).filter((m) => METHODS.includes(m));
      expect(Object.keys(doc.paths[p]).map((m) => m.toUpperCase()).sort(), p).toEqual(allowed.sort());
    }
  });
});
