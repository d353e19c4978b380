import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

process.env.AUTH_SECRET ??= "unit-test-secret-0123456789abcdef";
process.env.DATABASE_URL ??= "postgres://unit@127.0.0.1:1/unit";

// lib/env.ts validates once and caches: each case loads a fresh copy of the module.
async function freshEnv() {
  vi.resetModules();
  return (await import("@/lib/env")).env;
}

afterEach(() => vi.unstubAllEnvs());

describe("stream limits in the environment", () => {
  it("default to 20 streams per user and 8 MB of replay", async () => {
    vi.stubEnv("HERALD_MAX_STREAMS_PER_USER", undefined);
    vi.stubEnv("HERALD_MAX_REPLAY_BYTES", undefined);
    const env = (await freshEnv())();
    expect(env.HERALD_MAX_STREAMS_PER_USER).toBe(20);
    expect(env.HERALD_MAX_REPLAY_BYTES).toBe(8 * 1024 * 1024);
  });

  it("refuse anything but a positive integer, naming the variable", async () => {
    for (const [name, value] of [
      ["HERALD_MAX_STREAMS_PER_USER", "0"],
      ["HERALD_MAX_STREAMS_PER_USER", "2.5"],
      ["HERALD_MAX_STREAMS_PER_USER", "many"],
      ["HERALD_MAX_REPLAY_BYTES", "-1"],
    ]) {
      vi.stubEnv(name, value);
      const env = await freshEnv();
      expect(() => env(), `${name}=${value}`).toThrow(`${name}: ${name} must be a positive integer`);
      vi.unstubAllEnvs();
    }
  });
});

describe("the configuration, in one schema", () => {
  it("refuses what it cannot read exactly, instead of falling back to a default", async () => {
    for (const [name, value] of [
      ["HERALD_STREAM_MAX_AGE_S", "10m"],
      ["HERALD_LISTENER_HEARTBEAT_MS", "1e4"],
      ["RATE_LIMIT_API_PER_MINUTE", "-5"],
      ["RATE_LIMIT_SIGNIN_WINDOW_SECONDS", "7200"],
      ["HERALD_TRUSTED_PROXIES", "11"],
      ["CLEANUP_BATCH_SIZE", "0"],
      ["HERALD_SSE_FAST_PATH", "off"],
      ["HERALD_ALLOWED_ORIGINS", "example.com"],
    ]) {
      vi.stubEnv(name, value);
      const env = await freshEnv();
      expect(() => env(), `${name}=${value}`).toThrow(`${name}: ${name} must`);
      vi.unstubAllEnvs();
    }
  });

  it("names every bad variable at once", async () => {
    vi.stubEnv("HERALD_STREAM_MAX_AGE_S", "soon");
    vi.stubEnv("RETENTION_DAYS", "forever");
    const env = await freshEnv();
    expect(() => env()).toThrow(/HERALD_STREAM_MAX_AGE_S:[\s\S]*RETENTION_DAYS:/);
  });

  it("reads lists, flags and numbers into their types", async () => {
    vi.stubEnv("HERALD_ADMIN_EMAILS", " a@x.example , ,b@x.example");
    vi.stubEnv("HERALD_SSE_FAST_PATH", "0");
    vi.stubEnv("HERALD_STREAM_MAX_AGE_S", " 90 ");
    vi.stubEnv("RATE_LIMIT_MESSAGES_PER_MINUTE", "0");
    const env = (await freshEnv())();
    expect(env.HERALD_ADMIN_EMAILS).toEqual(["a@x.example", "b@x.example"]);
    expect(env.HERALD_SSE_FAST_PATH).toBe(false);
    expect(env.HERALD_STREAM_MAX_AGE_S).toBe(90);
    expect(env.RATE_LIMIT_MESSAGES_PER_MINUTE).toBe(0);
    expect(env.CLEANUP_INTERVAL_SECONDS).toBe(600);
  });

  it("is what the README's configuration tables list, no more and no less", async () => {
    const { ENV_NAMES } = await import("@/lib/env");
    const readme = readFileSync(path.join(import.meta.dirname, "..", "..", "README.md"), "utf8");
    const documented = new Set<string>();
    let inTable = false;
    for (const line of readme.split("\n")) {
      if (/^\|\s*variable\s*\|/.test(line)) inTable = true;
      else if (!line.startsWith("|")) inTable = false;
      else if (inTable) {
        const name = /^\|\s*`([A-Z][A-Z0-9_]*)`/.exec(line)?.[1];
        if (name) documented.add(name);
      }
    }
    expect([...documented].sort()).toEqual([...ENV_NAMES].sort());
  });
});
