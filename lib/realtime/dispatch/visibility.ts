import "server-only";
import type { Snapshot } from "@/db/queries/delivery";
import { metrics } from "@/lib/metrics";

/** How long the last snapshot may answer for what it sees (xids are widened against it: keep it recent). */
const REUSE_MS = 1_000;

/**
 * Whether new snapshots see the transactions the WAL sent. Logical decoding sends a commit a moment
 * before other sessions can see it, and a client acting on a frame at once must find the row, so a
 * frame built from the WAL waits for a snapshot that sees its transaction. One trivial statement;
 * none while the last snapshot (at most a second old) already sees them: visibility only grows.
 */
export class Visibility {
  private last: { snapshot: Snapshot; at: number } | null = null;

  /** `read`: a fresh snapshot (DeliveryReads.snapshot). */
  constructor(private readonly read: () => Promise<Snapshot>) {}

  async snapshotFor(xids: number[], now = Date.now()): Promise<Snapshot> {
    const last = this.last && now - this.last.at < REUSE_MS ? this.last.snapshot : null;
    if (last && xids.every((xid) => last.sees(xid))) return last;
    const read = metrics().deliveryRound.startTimer({ phase: "read" });
    const snapshot = await this.read();
    read();
    this.last = { snapshot, at: now };
    return snapshot;
  }
}
