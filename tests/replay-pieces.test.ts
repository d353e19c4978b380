import { afterAll, describe, expect, it } from "vitest";
import { readReplayPieces } from "@/db/queries/delivery";
import { closeTestSql, testSql } from "./support/db";
import { createTestUser } from "./support/users";

afterAll(closeTestSql);

describe("replay pieces", () => {
  it("splits a long replay into few contiguous pieces of about the asked size, not one per change", async () => {
    const user = await createTestUser("pieces");
    const sql = testSql();
    await sql`insert into notifications (user_id, title, body) select ${user.id}, 'missed ' || g, repeat('x', 200) from generate_series(1, 1000) g`;
    await sql`update notifications set read_at = now() where user_id = ${user.id} and seq <= 10`;
    const pieceBytes = 64 * 1024;
    const pieces = await readReplayPieces(sql as never, { userId: user.id, after: 0, upTo: 1001, pieceBytes });
    // About 800 bytes per change: roughly 800 KB in 64 KB pieces.
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.length).toBeLessThan(20);
    expect(pieces.at(-1)!.upTo).toBe(1001);
    expect(pieces.reduce((n, p) => n + p.created, 0)).toBe(1000);
    for (const [i, p] of pieces.entries()) {
      if (i > 0) expect(p.upTo).toBeGreaterThan(pieces[i - 1].upTo);
      expect(p.bytes).toBeLessThanOrEqual(pieceBytes + 2_000);
    }
  });
});
