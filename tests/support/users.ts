import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { claimAdminUser } from "./admins";
import { testSql } from "./db";
import { BASE_URL } from "./env";

export const TEST_PASSWORD = "correct horse battery";
let passwordHash: Promise<string> | undefined;

export type TestUser = { id: string; email: string; name: string };

/**
 * A fresh user per test, so tests never share state. Unverified, as after sign-up, unless
 * `verified` (email goes only to verified addresses: a test that expects email asks for it).
 */
export async function createTestUser(prefix = "user", options: { verified?: boolean } = {}): Promise<TestUser> {
  passwordHash ??= hash(TEST_PASSWORD);
  const email = `${prefix}-${randomUUID().slice(0, 8)}@test.example`;
  const name = `${prefix[0].toUpperCase()}${prefix.slice(1)} ${email.slice(prefix.length + 1, prefix.length + 5)}`;
  const verifiedAt = options.verified ? new Date() : null;
  const [row] = await testSql()<{ id: string }[]>`
    insert into users (email, name, password_hash, email_verified_at) values (${email}, ${name}, ${await passwordHash}, ${verifiedAt}) returning id`;
  return { id: row.id, email, name };
}

/** Marks the user's address verified, as following the emailed link does. */
export async function markEmailVerified(userId: string) {
  await testSql()`update users set email_verified_at = now() where id = ${userId}`;
}

/** A fresh admin (an email of HERALD_ADMIN_EMAILS nobody has yet), for tests of what only admins may do. */
export async function createAdminUser(prefix = "admin"): Promise<TestUser> {
  passwordHash ??= hash(TEST_PASSWORD);
  const name = `${prefix[0].toUpperCase()}${prefix.slice(1)} ${randomUUID().slice(0, 4)}`;
  const row = await claimAdminUser(testSql(), name, await passwordHash);
  return { id: row.id, email: row.email, name };
}

/** An HTTP client holding one user's session cookies, signed in through Auth.js's own endpoints. */
export class Client {
  private cookies = new Map<string, string>();

  /** `baseUrl`: another instance of the app (the scale-out test); the same session works on every instance. */
  constructor(readonly baseUrl = BASE_URL()) {}

  static async signedIn(user: TestUser, baseUrl?: string) {
    const c = new Client(baseUrl);
    const { csrfToken } = (await (await c.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await c.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email: user.email, password: TEST_PASSWORD }).toString(),
      redirect: "manual",
    });
    if (![200, 302].includes(res.status) || !c.cookieHeader().includes("session-token")) {
      throw new Error(`sign-in failed for ${user.email}: ${res.status}`);
    }
    return c;
  }

  /** Signs out through Auth.js's own endpoint, as the app's sign-out button does. */
  async signOut() {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await this.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken }).toString(),
    });
    await res.body?.cancel();
    if (res.status !== 302) throw new Error(`sign-out failed: ${res.status}`);
  }

  /** The same session, talking to another instance. */
  on(baseUrl: string) {
    const c = new Client(baseUrl);
    c.cookies = new Map(this.cookies);
    return c;
  }

  /** Replaces the session cookie (a hand-made, short-lived token in the expiry test). */
  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /**
   * Like a browser, sends this site's Origin (cookie-authenticated unsafe requests need it). A test
   * passes its own `Origin`, or `Origin: ""` to send none.
   */
  async fetch(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has("origin")) headers.set("Origin", new URL(this.baseUrl).origin);
    else if (headers.get("origin") === "") headers.delete("origin");
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    const res = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: init.redirect ?? "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const i = pair.indexOf("=");
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1));
    }
    return res;
  }

  /** JSON request helper: returns status and parsed body. */
  async json<T = any>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const res = await this.fetch(path, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: { ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}), ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
  }
}
