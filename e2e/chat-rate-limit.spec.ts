import postgres from "postgres";
import { expect, Person, test } from "./support";

// The chat page sends through a server action, not the API route: it must be under the same
// per-user limit. The bucket is filled from here, as another app instance's traffic would.
test("the chat page's server action is rate limited like the API", async ({ browser }) => {
  const url = process.env.DATABASE_URL;
  test.skip(!url, "needs DATABASE_URL (npm test sets it)");
  const sql = postgres(url!, { max: 1, onnotice: () => {} });
  try {
    const erin = await Person.create(browser, "Erin");
    const finn = await Person.create(browser, "Finn");
    await erin.openRoomWith(finn);
    await erin.send("before the limit");

    const limit = Number(process.env.RATE_LIMIT_MESSAGES_PER_MINUTE ?? 60);
    test.skip(limit === 0, "message limit turned off");
    await sql`
      insert into rate_limits (bucket, window_start, count)
      select 'messages:' || u.id, to_timestamp(floor(extract(epoch from now()) / 60) * 60 + 60 * k), ${limit}::int
        from users u, generate_series(0, 1) k where u.email = ${erin.user.email}
      on conflict (bucket, window_start) do update set count = excluded.count`;

    await erin.page.getByRole("textbox", { name: "Message" }).fill("one too many");
    await erin.page.keyboard.press("Enter");
    await expect(erin.page.locator("[data-sonner-toast]").filter({ hasText: "Too many requests" })).toBeVisible();
    await expect(erin.page.getByRole("list", { name: "Messages" })).not.toContainText("one too many");
    const [{ n }] = await sql`select count(*)::int as n from messages m join users u on u.id = m.sender_id where u.email = ${erin.user.email}`;
    expect(n).toBe(1);
  } finally {
    await sql.end({ timeout: 1 });
  }
});
