import { describe, expect, it } from "vitest";
import { encodePayload, MAX_PAYLOAD_BYTES } from "@/lib/delivery/push-sender";
import { encodedActionUrlBytes, actionTarget } from "@/lib/notifications/action-url";
import { addressAllowed, DEFAULT_PUSH_SERVICES, endpointProblem } from "@/lib/push/endpoint-policy";
import { BlockedAddress, postTo } from "@/lib/http/outbound";
import { actionUrlSchema } from "@/lib/validations/notifications";

const strict = { services: DEFAULT_PUSH_SERVICES, allowLocal: false };
const local = { services: DEFAULT_PUSH_SERVICES, allowLocal: true };

describe("push endpoints", () => {
  it("accepts https on the browsers' push services", () => {
    for (const url of [
      "https://fcm.googleapis.com/fcm/send/abc",
      "https://updates.push.services.mozilla.com/wpush/v2/abc",
      "https://api.push.apple.com/3/device/abc",
      "https://wns2-par02p.notify.windows.com/w/?token=abc",
    ]) expect(endpointProblem(url, strict), url).toBeNull();
  });

  it("refuses other hosts, http, ports, literal addresses and loopback without the local flag", () => {
    for (const url of [
      "https://push.example.com/x",
      "https://fcm.googleapis.com.evil.example/x",
      "https://push.apple.com/x",
      "http://fcm.googleapis.com/x",
      "https://fcm.googleapis.com:8443/x",
      "https://10.0.0.1:8443/admin",
      "https://169.254.169.254/latest/meta-data",
      "http://169.254.169.254/latest/meta-data",
      "http://2130706433:4701/",
      "http://127.0.0.1:4701/push/x",
      "https://localhost/push/x",
      "http://[::1]:4701/",
      "https://user:pw@fcm.googleapis.com/x",
    ]) expect(endpointProblem(url, strict), url).not.toBeNull();
  });

  it("allows loopback only with HERALD_PUSH_ALLOW_LOCAL, and nothing else private", () => {
    expect(endpointProblem("http://127.0.0.1:4701/push/x", local)).toBeNull();
    expect(endpointProblem("http://2130706433:4701/", local)).toBeNull();
    expect(endpointProblem("https://10.0.0.1:8443/admin", local)).not.toBeNull();
    expect(endpointProblem("http://169.254.169.254/", local)).not.toBeNull();
  });

  it("checks resolved addresses: no private, loopback, link-local, metadata or mapped ones", () => {
    for (const ip of ["10.0.0.1", "127.0.0.1", "127.9.9.9", "169.254.169.254", "172.16.5.4", "192.168.1.1", "100.64.0.1", "0.0.0.0", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:a9fe:a9fe", "64:ff9b::a00:1", "224.0.0.1"]) {
      expect(addressAllowed(ip, false), ip).toBe(false);
    }
    for (const ip of ["142.250.74.10", "17.188.128.1", "2a00:1450:4007:80e::200a"]) expect(addressAllowed(ip, false), ip).toBe(true);
    expect(addressAllowed("127.0.0.1", true)).toBe(true);
    expect(addressAllowed("::1", true)).toBe(true);
    expect(addressAllowed("10.0.0.1", true)).toBe(false);
    expect(addressAllowed("169.254.169.254", true)).toBe(false);
  });

  it("refuses at connect time a name that resolves to loopback, and a literal private address", async () => {
    const signal = AbortSignal.timeout(3000);
    const o = { headers: {}, body: Buffer.from("x"), addresses: "public" as const, connectTimeoutMs: 1000, signal };
    await expect(postTo("http://localhost:9/push", o)).rejects.toBeInstanceOf(BlockedAddress);
    await expect(postTo("https://10.0.0.1:8443/admin", o)).rejects.toBeInstanceOf(BlockedAddress);
    await expect(postTo("http://2130706433:4701/", o)).rejects.toBeInstanceOf(BlockedAddress);
  });
});

describe("push payloads and action URLs", () => {
  const payload = { id: "1", title: "hi", body: "", url: "/", action: true, priority: "normal" as const, category: "general" as const };

  it("ends, falling back to the inbox, when the URL alone is too big", () => {
    const json = encodePayload({ ...payload, url: `/${"%E2%82%AC".repeat(500)}` });
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(JSON.parse(json)).toMatchObject({ url: "/notifications", action: false, id: "1" });
  });

  it("counts an action URL's percent-encoded bytes", () => {
    const fits = `/${"€".repeat(227)}aaaa`;
    expect(encodedActionUrlBytes(fits)).toBe(2048);
    expect(actionUrlSchema.safeParse(fits).success).toBe(true);
    const over = `${fits}a`;
    expect(encodedActionUrlBytes(over)).toBe(2049);
    expect(actionUrlSchema.safeParse(over).success).toBe(false);
    expect(actionTarget(over)).toBeNull();
    expect(actionUrlSchema.safeParse(`/${"€".repeat(500)}`).success).toBe(false);
  });
});
