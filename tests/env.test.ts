import { afterEach, describe, expect, it, vi } from "vitest";

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
