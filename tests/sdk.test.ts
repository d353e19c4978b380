import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestApp } from "./support/apps";
import { BASE_URL } from "./support/env";
import { WebhookReceiver } from "./support/webhook-receiver";

/**
 * The server SDK as a customer gets it: its types are what the running server's OpenAPI document
 * generates (a changed API the SDK does not follow fails here), and the packed tarball, installed
 * into a fresh project, type-checks and works against the running server.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const SDK = path.join(ROOT, "sdk", "server");
const BIN = (pkg: string, file: string) => path.join(ROOT, "node_modules", pkg, file);
const work = mkdtempSync(path.join(tmpdir(), "herald-sdk-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a command; a failure shows what it printed (a compiler's errors are on stdout). */
function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.slice(0, 3).join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

describe("herald-server", () => {
  it("is generated from the server's own OpenAPI document", async () => {
    const served = await (await fetch(`${BASE_URL()}/api/openapi.json`)).json();
    const checkedIn = JSON.parse(readFileSync(path.join(SDK, "openapi.json"), "utf8"));
    // `npm run sdk:generate` writes both files; a route or schema changed without it fails here.
    expect(checkedIn, "sdk/server/openapi.json is stale: run npm run sdk:generate").toEqual(served);
    // A field with a default is optional to whoever sends it (request bodies are inputs).
    const types = path.join(work, "api.d.ts");
    run(process.execPath, [BIN("openapi-typescript", "bin/cli.js"), path.join(SDK, "openapi.json"), "--default-non-nullable", "false", "-o", types], work);
    expect(readFileSync(types, "utf8"), "sdk/server/src/api.d.ts is stale: run npm run sdk:generate").toBe(readFileSync(path.join(SDK, "src", "api.d.ts"), "utf8"));
  });

  it("packs, installs into a fresh project, type-checks and works against the server", async () => {
    const app = await createTestApp("sdk");
    // A webhook as a host's server receives it, for verifyWebhook to check.
    const hooks = await WebhookReceiver.start();
    const endpoint = await app.admin.json(`/api/apps/${app.id}/webhooks`, { body: { url: hooks.url, events: ["subscriber.created"] } });
    await app.admin.json(`/api/apps/${app.id}/webhooks/${endpoint.body.id}/test`, { method: "POST" });
    await hooks.waitFor("the test event", (r) => r.length === 1);
    await hooks.close();
    const hookFile = path.join(work, "hook.json");
    writeFileSync(hookFile, JSON.stringify({ headers: hooks.received[0].headers, body: hooks.received[0].body }));
    const tarball = run("npm", ["pack", "--pack-destination", work, "--silent"], SDK).trim().split("\n").pop()!;
    const project = path.join(work, "host");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "host", private: true, type: "module" }));
    // Its three dependencies come from npm's cache (npm ci filled it): no network needed.
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", path.join(work, tarball)], project);
    const installed = JSON.parse(readFileSync(path.join(project, "node_modules", "herald-server", "package.json"), "utf8"));
    expect(Object.keys(installed.dependencies).sort()).toEqual(["jose", "openapi-fetch", "standardwebhooks"]);

    writeFileSync(
      path.join(project, "host.ts"),
      `import { readFileSync } from "node:fs";
import { Herald, HeraldError, subscriberToken, verifyWebhook, WebhookVerificationError, type Subscriber, type WebhookEvent } from "herald-server";

const [url, token, kid, secret, hookFile, hookSecret] = process.argv.slice(2);
const hook = JSON.parse(readFileSync(hookFile, "utf8"));
const event: WebhookEvent = verifyWebhook(hookSecret, hook.headers, hook.body);
let forged = "";
try {
  verifyWebhook(hookSecret, hook.headers, hook.body.replace("test", "tesT"));
} catch (err) {
  if (err instanceof WebhookVerificationError) forged = "refused";
}
const herald = new Herald({ url, token });
const ada: Subscriber = await herald.subscribers.identify("u_sdk", { email: "ada@shop.example", name: "Ada" });
await herald.subscribers.bulk([{ externalId: "u_sdk_2", name: "Grace" }]);
const sent = await herald.notifications.send({ to: ["u_sdk", { externalId: "u_sdk_3", name: "Linus" }], title: "Invoice paid", body: "€1,204" }, { idempotencyKey: "sdk-1" });
const again = await herald.notifications.send({ to: ["u_sdk", { externalId: "u_sdk_3", name: "Linus" }], title: "Invoice paid", body: "€1,204" }, { idempotencyKey: "sdk-1" });
const one = await herald.notifications.get(sent.notifications[0].id);
const jwt = await subscriberToken({ kid, secret, externalId: "u_sdk", expiresIn: 600 });
const inbox = await (await fetch(url + "/api/notifications", { headers: { Authorization: "Bearer " + jwt } })).json();
let missing = "";
try {
  await herald.subscribers.get("nobody-here");
} catch (err) {
  if (err instanceof HeraldError) missing = err.status + " " + err.code;
}
await herald.subscribers.delete("u_sdk_2");
console.log(JSON.stringify({ ada: ada.name, sent: sent.notifications.map((n) => n.externalId), same: again.notifications[0].id === sent.notifications[0].id, title: one.title, inbox: inbox.items.map((n: { title: string }) => n.title), missing, hook: event.type === "webhook.test" ? event.data.message : "", forged }));
`,
    );
    // Compiled as a customer's TypeScript would be: strict, against the package's own declarations,
    // with skipLibCheck as Next's and most templates set it (the declarations come from the SDK's
    // own strict build, run by prepack above; re-checking @types/node cost half of this test).
    const tsc = ["--strict", "--skipLibCheck", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node", "--typeRoots", path.join(ROOT, "node_modules", "@types")];
    run(process.execPath, [BIN("typescript", "bin/tsc"), ...tsc, "host.ts"], project);
    const out = JSON.parse(run(process.execPath, ["host.js", BASE_URL(), app.token.secret, app.kid, app.secret, hookFile, endpoint.body.secret], project));
    expect(out).toEqual({ ada: "Ada", sent: ["u_sdk", "u_sdk_3"], same: true, title: "Invoice paid", inbox: ["Invoice paid"], missing: "404 not_found", hook: "A test event from Herald", forged: "refused" });
  }, 180_000);
});
