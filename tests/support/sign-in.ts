import { Client } from "./users";

/**
 * One sign-in attempt through Auth.js's credentials callback (what the sign-in form and curl use),
 * from a fresh client. `headers`: extra request headers, e.g. a forged X-Forwarded-For.
 */
export async function attemptSignIn(email: string, password: string, headers: Record<string, string> = {}) {
  const c = new Client();
  const { csrfToken } = (await (await c.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await c.fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ csrfToken, email, password }).toString(),
  });
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, body, signedIn: c.cookieHeader().includes("session-token") };
}
