import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockedAddress, postTo } from "@/lib/http/outbound";
import { webhookUrlProblem } from "@/lib/webhooks/url-policy";

describe("webhook URLs without HERALD_WEBHOOK_ALLOW_PRIVATE", () => {
  it("refuses at creation http, credentials, localhost and literal loopback, private, link-local and metadata addresses", () => {
    for (const url of [
      "http://hooks.example/x",
      "https://127.0.0.1/x",
      "https://10.0.0.1/x",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://2130706433/x",
      "https://192.168.1.10:8443/x",
      "https://localhost/x",
      "https://api.localhost/x",
      "https://u:p@hooks.example/x",
      "hooks.example/x",
    ]) {
      expect(webhookUrlProblem(url, false), url).not.toBeNull();
    }
    expect(webhookUrlProblem("https://hooks.example/herald?k=1", false)).toBeNull();
    expect(webhookUrlProblem("https://142.250.74.10/x", false)).toBeNull();
  });

  it("accepts local http with the flag (tests and local development)", () => {
    expect(webhookUrlProblem("http://127.0.0.1:4000/x", true)).toBeNull();
    expect(webhookUrlProblem("http://10.0.0.1/x", true)).toBeNull();
    expect(webhookUrlProblem("ftp://127.0.0.1/x", true)).not.toBeNull();
  });
});

describe("webhook sends at connect time", () => {
  let server: http.Server;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.writeHead(302, { Location: "http://127.0.0.1:9/" }).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const options = (addresses: "public" | "any") => ({ headers: {}, body: Buffer.from("{}"), addresses, connectTimeoutMs: 1000, signal: AbortSignal.timeout(3000), keepBytes: 1024 });

  it("refuses a name resolving to 127.0.0.1 and literal 127.0.0.1, 10.0.0.1 and 169.254.169.254, before connecting", async () => {
    const port = (server.address() as AddressInfo).port;
    await expect(postTo(`http://localhost:${port}/hook`, options("public"))).rejects.toBeInstanceOf(BlockedAddress);
    for (const host of ["127.0.0.1", "10.0.0.1", "169.254.169.254"]) {
      await expect(postTo(`https://${host}:${port}/hook`, options("public")), host).rejects.toBeInstanceOf(BlockedAddress);
    }
    expect(hits).toBe(0);
  });

  it("does not follow a redirect: the 302 is the answer", async () => {
    const port = (server.address() as AddressInfo).port;
    const res = await postTo(`http://localhost:${port}/hook`, options("any"));
    expect(res.status).toBe(302);
    expect(hits).toBe(1);
  });
});
