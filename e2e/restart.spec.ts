import postgres from "postgres";
import { Balancer } from "../tests/support/balancer";
import { SecondInstance } from "../tests/support/second-instance";
import { expect, Person, test } from "./support";

const BURST = 40;

// Two instances behind a small proxy; the one holding the browser's stream is restarted (SIGTERM,
// then started again) in the middle of a burst written by plain SQL. The browser must end up with
// every notification of the burst exactly once.
test("a restart during a burst: the browser resumes on the other instance, 0 lost, 0 shown twice", async ({ browser }) => {
  test.setTimeout(120_000);
  const base = Number(new URL(process.env.HERALD_BASE_URL ?? "http://127.0.0.1:3100").port);
  const [portA, portB, portProxy] = [base + 6, base + 7, base + 8];
  const sql = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
  const proxy = await Balancer.start(portProxy, [portA, portB]);
  let a: SecondInstance | null = null;
  let b: SecondInstance | null = null;
  try {
    [a, b] = await Promise.all([SecondInstance.start(portA, {}), SecondInstance.start(portB, {})]);
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${portProxy}` });
    const alice = await Person.create(browser, "Alice", { context });
    await alice.page.goto("/notifications");
    await alice.live();
    // The stream of the page left behind (/chat) ends a moment after the new one is live.
    await expect.poll(async () => (await a!.health()).body.realtime.streams).toBe(1);
    const [{ id: userId }] = await sql<{ id: string }[]>`select id from users where email = ${alice.user.email}`;

    const titles = Array.from({ length: BURST }, (_, i) => `Burst ${String(i + 1).padStart(2, "0")}`);
    let restarted: Promise<SecondInstance> | null = null;
    for (const [i, title] of titles.entries()) {
      await sql`insert into notifications (user_id, title) values (${userId}, ${title})`;
      if (i === 9) {
        // SIGTERM mid-burst; once it has exited, start it again while the burst goes on.
        restarted = a!.terminate().then((code) => {
          expect(code).toBe(0);
          return SecondInstance.start(portA, {});
        });
      }
      await new Promise((r) => setTimeout(r, 75));
    }
    a = await restarted!;

    const shown = alice.items("Inbox").filter({ hasText: /^Burst \d\d/ });
    await expect(shown.filter({ hasText: titles.at(-1)! })).toHaveCount(1);
    // A reconnect reads the list again, a page at a time: load the rest.
    const older = alice.page.getByRole("button", { name: "Load older notifications" });
    if (await older.isVisible()) await older.scrollIntoViewIfNeeded();
    await expect(alice.page.getByText("That’s everything.")).toBeVisible();
    await expect(shown).toHaveCount(BURST);
    const seen = await shown.getByTestId("notification-title").allTextContents();
    expect([...seen].sort()).toEqual(titles);
    await alice.expectUnread(BURST);
    // The stream really moved: instance B holds it now.
    await expect.poll(async () => (await b!.health()).body.realtime.streams).toBe(1);
    expect(proxy.connections).toContain(portB);
    await context.close();
  } finally {
    await proxy.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await sql.end({ timeout: 1 });
  }
});
