import { existsSync, mkdirSync, rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * While the integration suite runs beside the browser suite (scripts/test.mjs), the machine's two
 * cores have room for one browser test at a time; once it has finished, for two. The runner starts
 * two workers and names a file in HERALD_E2E_GATE that exists while the integration suite runs:
 * meanwhile a test first takes the one slot (a directory made atomically), and once the file is gone
 * both workers run freely. Returns the release, and how long the test waited.
 */
export async function passGate(): Promise<{ release: () => void; waitedMs: number }> {
  const gate = process.env.HERALD_E2E_GATE;
  const none = { release: () => {}, waitedMs: 0 };
  if (!gate) return none;
  const slot = `${gate}.slot`;
  const start = Date.now();
  while (existsSync(gate)) {
    try {
      mkdirSync(slot);
      return { release: () => rmSync(slot, { recursive: true, force: true }), waitedMs: Date.now() - start };
    } catch {
      await sleep(100);
    }
  }
  return { ...none, waitedMs: Date.now() - start };
}
