import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { errorResponse } from "@/lib/http/respond";
import { describeError, logError } from "@/lib/logging/log-error.mjs";
import { createToken, service } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { sleep } from "./support/resuming-stream";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);
afterEach(() => vi.restoreAllMocks());

const secret = () => `secret-${randomUUID()}`;

/** Everything `fn` logs (the logger's lines on stdout, and anything written with console.error/warn), as one string. */
async function captured(fn: () => unknown) {
  const lines: string[] = [];
  const keep = (...args: unknown[]) => void lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  vi.spyOn(console, "error").mockImplementation(keep);
  vi.spyOn(console, "warn").mockImplementation(keep);
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (keep(String(chunk)), true));
  await fn();
  return lines.join("\n");
}

async function failure(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error("expected the query to fail");
}

describe("database errors are logged without the values they carried", () => {
  it("a unique violation: code and constraint, not the key in its detail", async () => {
    const email = `${secret()}@test.example`;
    await testSql()`insert into users (email, name, password_hash) values (${email}, 'x', 'x')`;
    const err = await failure(() => testSql()`insert into users (email, name, password_hash) values (${email}, 'x', 'x')`);
    expect((err as { detail: string }).detail).toContain(email); // what must not reach the log
    const log = await captured(() => logError("sign-up", err));
    expect(log).toContain('"code":"23505"');
    expect(log).toContain("users_email_key");
    expect(log).toContain("insert into users");
    expect(log).not.toContain(email);
  });

  it("a query through drizzle: the statement with placeholders, never its parameters", async () => {
    const value = secret();
    const db = drizzle(testSql());
    const err = await failure(() => db.execute(sql`select ${value}::uuid`));
    expect(String((err as Error).message)).toContain(value); // drizzle puts them in its message
    const description = describeError(err);
    expect(description).toMatchObject({ error: "PostgresError", code: "22P02", statement: "select $1::uuid" });
    const log = await captured(() => logError("lookup", err));
    expect(log).not.toContain(value);
  });

  it("input the database cannot store answers 400, without echoing or logging it", async () => {
    const value = secret();
    const err = await failure(() => testSql()`select ${`${value}\u0000`}::text`);
    let res: Response | undefined;
    const log = await captured(() => (res = errorResponse(err)));
    expect(res!.status).toBe(400);
    const body = await res!.json();
    expect(body.error.code).toBe("validation_error");
    expect(JSON.stringify(body)).not.toContain(value);
    expect(log).toContain('"code":"22021"');
    expect(log).not.toContain(value);
  });
});

describe("the server's log", () => {
  it("holds the error's code and statement but none of the request's values", async () => {
    const file = process.env.HERALD_TEST_SERVER_LOG;
    if (!file) throw new Error("HERALD_TEST_SERVER_LOG is not set: run with `npm test`");
    const user = await createTestUser("logprobe");
    const token = await createToken(await Client.signedIn(user));
    const value = secret();
    // A real database failure on the service API's insert, whose message and detail repeat the
    // row's body (as Postgres does for many errors), under a code no other test produces.
    const fault = `log_probe_${user.id.replace(/-/g, "")}`;
    await testSql().unsafe(`
      create function ${fault}() returns trigger language plpgsql as $$
        begin raise exception 'refused %', new.body using errcode = 'HL042', detail = 'body ' || new.body; end $$;
      create trigger ${fault} before insert on notifications for each row
        when (new.user_id = '${user.id}') execute function ${fault}()`);
    try {
      const res = await service("/api/v1/notifications", {
        token: token.secret,
        body: { to: user.email, title: `title ${value}`, body: `body ${value}`, metadata: { note: value } },
      });
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toContain(value);
    } finally {
      await testSql().unsafe(`drop trigger ${fault} on notifications; drop function ${fault}()`);
    }
    // The server wrote its line before answering; the runner copies it to the file as it arrives.
    let log = readFileSync(file, "utf8");
    for (let i = 0; i < 100 && !log.includes('"code":"HL042"'); i++) {
      await sleep(50);
      log = readFileSync(file, "utf8");
    }
    expect(log).toContain('"code":"HL042"');
    expect(log).toContain('insert into \\"notifications\\"');
    expect(log).not.toContain(value);
    expect(log).not.toContain(user.email);
  });

  it("has one JSON line per request with its id, route and user, and no query, body, email or token", async () => {
    const file = process.env.HERALD_TEST_SERVER_LOG!;
    const user = await createTestUser("reqlog");
    const client = await Client.signedIn(user);
    const value = secret();
    const reqId = `probe-${randomUUID()}`;
    const res = await client.fetch(`/api/notifications?q=${value}`, { headers: { "X-Request-Id": reqId } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(reqId);
    const posted = await client.json("/api/notifications/test", { body: { title: `t ${value}`, body: `b ${value}` } });
    expect(posted.status).toBe(201);
    const bad = await client.fetch("/api/notifications/seen", { method: "POST", headers: { "X-Request-Id": "not a sane id; <script>" } });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const lineOf = async (id: string) => {
      for (let i = 0; i < 100; i++) {
        const line = readFileSync(file, "utf8").split("\n").find((l) => l.includes(`"reqId":"${id}"`) && l.includes('"msg":"request"'));
        if (line) return JSON.parse(line);
        await sleep(50);
      }
      throw new Error(`no log line for ${id}`);
    };
    expect(await lineOf(reqId)).toMatchObject({ level: "info", reqId, route: "/api/notifications", userId: user.id, method: "GET", status: 200, ms: expect.any(Number) });
    const log = readFileSync(file, "utf8");
    expect(log).not.toContain(value);
    expect(log).not.toContain(user.email);
    expect(log).not.toContain(client.cookieHeader().split("=")[1]?.slice(0, 40) ?? "none");
  });
});
