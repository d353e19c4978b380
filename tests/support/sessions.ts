import { expect } from "vitest";
import { sleep } from "./resuming-stream";
import type { SseReader } from "./sse";

/** Revocation must take effect within 5 s (the cache bound is 2 s): polls until then. */
export async function within5s(probe: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 5_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 5 s`);
    await sleep(100);
  }
}

/** Waits for the server to end the stream (cleanly: the client would reconnect). */
export async function ended(stream: SseReader, what = "the open stream ends") {
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: it did not`)), 10_000).unref());
  await Promise.race([stream.closed, timeout]);
  expect(stream.endedCleanly).toBe(true);
}
