import { testSql } from "./db";
import { BASE_URL } from "./env";
import { Client, createAdminUser, type TestUser } from "./users";

export type ServiceToken = { id: string; secret: string };

/**
 * Creates a service token through the API, as a person would from the settings page. A member's
 * token notifies only them; `{scope: "users"}` (an admin's client only) reaches anyone.
 */
export async function createToken(
  client: Client,
  name = "test-service",
  options: { scope?: "self" | "users" | "app"; categories?: string[]; appId?: string } = {},
): Promise<ServiceToken> {
  const res = await client.json("/api/tokens", { body: { name, ...options } });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.token.id, secret: res.body.secret };
}

/** A fresh admin, signed in, with a `users` token: the kind of token that may notify anyone. */
export async function createAdminToken(
  prefix = "admin",
  options: { categories?: string[] } = {},
): Promise<{ owner: TestUser; client: Client; token: ServiceToken }> {
  const owner = await createAdminUser(prefix);
  const client = await Client.signedIn(owner);
  return { owner, client, token: await createToken(client, `${prefix}-bot`, { scope: "users", ...options }) };
}

/** A call to the service API: no cookies, only what the caller passes. */
export async function service<T = any>(
  path: string,
  init: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(`${BASE_URL()}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/**
 * Everything these users own, as one comparable value: notifications (content and state), rooms,
 * messages, tokens (minus last_used_at, which any authenticated call may refresh), Idempotency-Keys
 * and preferences. Scoped to the users of one test, so other tests and the server's cleanup job
 * cannot make it flaky. Rate-limit counters are left out on purpose: counting is their job.
 */
export async function snapshot(userIds: string[]) {
  const [row] = await testSql()`
    select
      (select coalesce(json_agg(json_build_object('id', id, 'user', user_id, 'title', title, 'body', body, 'read', read_at,
                'archived', archived_at, 'expires', expires_at, 'meta', metadata) order by id), '[]')
         from notifications where user_id = any(${userIds}::uuid[])) as notifications,
      (select coalesce(json_agg(r.id order by r.id), '[]') from rooms r
        where r.user_a_id = any(${userIds}::uuid[]) or r.user_b_id = any(${userIds}::uuid[])) as rooms,
      (select count(*)::int from messages where sender_id = any(${userIds}::uuid[])) as messages,
      (select coalesce(json_agg(json_build_object('id', id, 'name', name, 'revoked', revoked_at) order by id), '[]')
         from api_tokens where user_id = any(${userIds}::uuid[])) as tokens,
      (select count(*)::int from idempotency_keys k join api_tokens t on t.id = k.token_id
        where t.user_id = any(${userIds}::uuid[])) as idempotency_keys,
      (select coalesce(json_agg(row_to_json(p) order by p.user_id), '[]') from user_preferences p
        where p.user_id = any(${userIds}::uuid[])) as preferences`;
  return row;
}

/** Fills a rate-limit bucket for the current and the next window, as another app instance would. */
export async function fillRateLimit(bucket: string, count: number, windowSeconds = 60) {
  await testSql()`
    insert into rate_limits (bucket, window_start, count)
    select ${bucket}, cur.w + make_interval(secs => ${windowSeconds}::int * k), ${count}::int
      from (select to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}::int) * ${windowSeconds}::int) as w) cur,
           generate_series(0, 1) as k
    on conflict (bucket, window_start) do update set count = excluded.count`;
}

/**
 * Starts the direct room with the account at `email`, as the chat page does, and returns its id:
 * POST /api/rooms says the same whether or not the account exists, so the id comes from the list.
 */
export async function openRoom(client: Client, email: string): Promise<string> {
  const res = await client.json("/api/rooms", { body: { participantEmail: email } });
  if (res.status !== 202) throw new Error(`opening a room failed: ${res.status} ${JSON.stringify(res.body)}`);
  const list = await client.json<{ items: { id: string; other: { email: string } }[] }>("/api/rooms");
  const room = list.body.items.find((r) => r.other.email.toLowerCase() === email.toLowerCase());
  if (!room) throw new Error(`no room with ${email} after opening one`);
  return room.id;
}
