import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { BASE_URL } from "./support/env";
import { SecondInstance, until } from "./support/second-instance";
import { SseReader } from "./support/sse";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

/**
 * A POST whose body is still arriving: a request in flight when the signal comes. `reading`
 * resolves once the server has read its headers (it answered `Expect: 100-continue`) and has half
 * the body.
 */
function slowPost(url: string, path: string, cookie: string, body: string) {
  const target = new URL(path, url);
  let finish!: () => void;
  let read!: () => void;
  const reading = new Promise<void>((r) => (read = r));
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request(
      target,
      {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          Cookie: cookie,
          Origin: target.origin,
          Expect: "100-continue",
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on("error", reject);
    const half = Math.floor(body.length / 2);
    req.on("continue", () => req.write(body.slice(0, half), () => read()));
    finish = () => req.end(body.slice(half));
  });
  return { answer, reading, finish: () => finish() };
}

describe("graceful shutdown", () => {
  it("on SIGTERM stops accepting, tells streams to resume elsewhere, finishes the request in flight, exits 0", async () => {
    const port = Number(new URL(BASE_URL()).port) + 3;
    const instance = await SecondInstance.start(port, {});
    const user = await createTestUser("drain");
    const client = (await Client.signedIn(user)).on(instance.url);
    const stream = await SseReader.open(client);
    const inFlight = slowPost(instance.url, "/api/notifications/test", client.cookieHeader(), JSON.stringify({ title: "Sent while stopping" }));
    // The request is being read by the server before the signal comes.
    await inFlight.reading;

    const exited = instance.terminate();
    const closed = await stream.waitFor((e) => e.event === "stream.closed");
    expect(closed.data).toEqual({ reason: "restarting" });
    await stream.closed;
    expect(stream.endedCleanly).toBe(true);
    // No new connections are taken while it drains.
    await until(async () => (await fetch(`${instance.url}/api/health`).then(() => false, () => true)), "new connections refused");

    inFlight.finish();
    const res = await inFlight.answer;
    expect(res.status).toBe(201);
    expect(res.body.title).toBe("Sent while stopping");
    expect(await exited).toBe(0);
    // The admin dashboard lists it as stopped, not as a silent (crashed) instance.
    const [row] = await testSql()`select stopped_at is not null as stopped, health->>'status' as status from herald_instances where pid = ${instance.pid} order by started_at desc limit 1`;
    expect(row).toEqual({ stopped: true, status: "draining" });
    expect(instance.output()).toMatch(/"msg":"SIGTERM: stopped in \d+ ms"/);
    // The notification committed: the user's own server has it.
    const list = await (await Client.signedIn(user)).json("/api/notifications");
    expect(list.body.items.map((n: any) => n.title)).toContain("Sent while stopping");
  }, 90_000);
});
