// `npm run example`: Herald (npm start, with its demo data) and the example host app beside it, on
// another origin. The first run signs in as the demo admin, creates the app "Example host app" that
// allows the host's origin, and keeps its signing key and app token in .data/example-host-app.json.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startHostApp } from "./app";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HERALD_PORT = Number(process.env.PORT ?? 3000);
const HERALD = `http://127.0.0.1:${HERALD_PORT}`;
const HOST_PORT = Number(process.env.EXAMPLE_PORT ?? 4100);
const HOST = `http://localhost:${HOST_PORT}`;
const SAVED = path.join(ROOT, ".data", "example-host-app.json");
const ADMIN = { email: "alice@example.com", password: "herald-demo" };

type Credentials = { appId: string; kid: string; secret: string; appToken: string };

async function waitForHerald() {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${HERALD}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("Herald did not come up");
}

/** The demo admin's session, through Auth.js's own endpoints (what the sign-in form posts). */
async function adminSession() {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${HERALD}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  keep(
    await fetch(`${HERALD}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: header() },
      body: new URLSearchParams({ csrfToken, ...ADMIN }).toString(),
      redirect: "manual",
    }),
  );
  return async <T>(p: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${HERALD}${p}`, {
      method: body ? "POST" : "GET",
      headers: { Cookie: header(), Origin: HERALD, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T };
  };
}

async function credentials(): Promise<Credentials> {
  const api = await adminSession();
  if (existsSync(SAVED)) {
    const saved = JSON.parse(readFileSync(SAVED, "utf8")) as Credentials;
    if ((await api(`/api/apps/${saved.appId}`)).status === 200) return saved;
  }
  const created = await api<{ app: { id: string }; signingKey: { kid: string; secret: string } }>("/api/apps", {
    name: "Example host app",
    allowedOrigins: [HOST],
  });
  if (created.status !== 201) throw new Error(`could not create the app (${created.status}): is ${ADMIN.email} an admin with the demo password?`);
  const token = await api<{ secret: string }>("/api/tokens", { name: "example-host-app", scope: "app", appId: created.body.app.id });
  if (token.status !== 201) throw new Error(`could not create the app token (${token.status})`);
  const saved = { appId: created.body.app.id, kid: created.body.signingKey.kid, secret: created.body.signingKey.secret, appToken: token.body.secret };
  mkdirSync(path.dirname(SAVED), { recursive: true });
  writeFileSync(SAVED, JSON.stringify(saved, null, 2), { mode: 0o600 });
  return saved;
}

const herald = spawn(process.execPath, [path.join(ROOT, "scripts", "run.mjs"), "start"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, PORT: String(HERALD_PORT) } });
const stop = () => {
  herald.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
herald.on("exit", (code) => process.exit(code ?? 1));

await waitForHerald();
const c = await credentials();
await startHostApp({ port: HOST_PORT, heraldUrl: HERALD, appToken: c.appToken, kid: c.kid, secret: c.secret });
console.log(`\n[example] Herald:        ${HERALD}  (demo admin ${ADMIN.email} / ${ADMIN.password})`);
console.log(`[example] the host app:  ${HOST}  (continue as Ada or Grace, then "Send me a notification")\n`);
