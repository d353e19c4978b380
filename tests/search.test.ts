import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, describe, expect, it } from "vitest";
import { searchStatement } from "@/db/queries/search";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser, type TestUser } from "./support/users";

afterAll(closeTestSql);

type Segment = { text: string; match: boolean };
const marked = (segments: Segment[]) => segments.map((s) => (s.match ? `[${s.text}]` : s.text)).join("");

async function seed(user: TestUser, rows: { title: string; body?: string; actor?: string; archived?: boolean; read?: boolean }[]) {
  const ids: string[] = [];
  for (const r of rows) {
    const [row] = await testSql()<{ id: string }[]>`
      insert into notifications (user_id, title, body, actor_id, archived_at, read_at)
      values (${user.id}, ${r.title}, ${r.body ?? ""}, ${r.actor ?? null},
              ${r.archived ? new Date() : null}, ${r.read || r.archived ? new Date() : null})
      returning id`;
    ids.push(String(row.id));
  }
  return ids;
}

const search = async (client: Client, q: string, extra = "") =>
  (await client.json(`/api/notifications?q=${encodeURIComponent(q)}${extra}`)).body;

describe("search", () => {
  it("ranks title over actor over body, includes archived, highlights as text, and finds only the caller's", async () => {
    const [me, other, actor] = await Promise.all([createTestUser("finder"), createTestUser("finderother"), createTestUser("quill")]);
    await testSql()`update users set name = 'Priya Quillfeather' where id = ${actor.id}`;
    const [inBody, inTitle, archived, byActor] = await seed(me, [
      { title: "Weekly digest", body: "The deploy of the billing service finished." },
      { title: "Deploy failed on <b>staging</b>", body: "See the logs." },
      { title: "Old deploy notes", body: "archived", archived: true },
      { title: "New comment", body: "Looks good to me", actor: actor.id },
    ]);
    await seed(other, [{ title: "Deploy of someone else" }]);
    const client = await Client.signedIn(me);

    const deploys = await search(client, "deploy");
    // Two title matches (the newer first among equals), then the body match.
    expect(deploys.items.map((n: any) => n.id)).toEqual([archived, inTitle, inBody]);
    const titled = deploys.items.find((n: any) => n.id === inTitle);
    expect(marked(titled.highlight.title)).toBe("[Deploy] failed on <b>staging</b>");
    expect(titled.title).toBe("Deploy failed on <b>staging</b>");
    expect(marked(deploys.items.find((n: any) => n.id === inBody).highlight.body)).toContain("[deploy] of the billing service");
    expect(JSON.stringify(deploys)).not.toMatch(/hs[0-9a-f]{18}[se]/);
    expect(deploys.items.find((n: any) => n.id === archived).archivedAt).toEqual(expect.any(String));
    expect(deploys).toMatchObject({ nextCursor: null, unreadCount: expect.any(Number), unseenCount: expect.any(Number) });

    // The actor's name is searched (weight B), and a rename is searched at once.
    expect((await search(client, "quillfeather")).items.map((n: any) => n.id)).toEqual([byActor]);
    await testSql()`update users set name = 'Priya Inkwell' where id = ${actor.id}`;
    expect((await search(client, "quillfeather")).items).toEqual([]);
    expect((await search(client, "inkwell")).items.map((n: any) => n.id)).toEqual([byActor]);

    // Only the owner's rows, and a status narrows it.
    expect((await search(client, "deploy", "&status=archived")).items.map((n: any) => n.id)).toEqual([archived]);
    const theirs = await Client.signedIn(other);
    expect((await search(theirs, "deploy")).items.map((n: any) => n.title)).toEqual(["Deploy of someone else"]);
  });

  it("speaks web search syntax, matches the last word as a prefix while typing, and stems", async () => {
    const me = await createTestUser("syntax");
    const [invoice, invoices, payment] = await seed(me, [
      { title: "Invoice overdue", body: "Pay it today" },
      { title: "Invoices sent", body: "Three customers were billed" },
      { title: "Payment received", body: "for the March invoice" },
    ]);
    const client = await Client.signedIn(me);
    const ids = async (q: string) => (await search(client, q)).items.map((n: any) => n.id).sort();
    expect(await ids("invoice")).toEqual([invoice, invoices, payment].sort());
    expect(await ids("invo")).toEqual([invoice, invoices, payment].sort());
    expect(await ids("invoice -payment")).toEqual([invoice, invoices].sort());
    expect(await ids('"invoice overdue"')).toEqual([invoice]);
    expect(await ids("overdue or received")).toEqual([invoice, payment].sort());
    expect(await ids("customer")).toEqual([invoices]);
    // Nothing searchable (stop words, punctuation) matches nothing, and never fails.
    expect(await ids("the")).toEqual([]);
    expect(await ids("!!! ::: &|")).toEqual([]);
    expect(await ids("' OR 1=1 --")).toEqual([]);
  });

  it("pages a ranked list without repeats or gaps; `after` does not apply to a ranking", async () => {
    const me = await createTestUser("pager");
    await testSql()`insert into notifications (user_id, title, body)
      select ${me.id}, 'Build ' || g, case when g % 3 = 0 then 'build build build' else 'ok' end from generate_series(1, 45) g`;
    const client = await Client.signedIn(me);
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: any = await search(client, "build", `&limit=20${cursor ? `&before=${cursor}` : ""}`);
      seen.push(...page.items.map((n: any) => n.id));
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    const ignored = await client.json("/api/notifications?q=build&after=5&limit=100");
    expect(ignored.status).toBe(200);
    expect(ignored.body.items).toHaveLength(45);
  });

  it("over 100,000 notifications answers from the GIN index", async () => {
    const sql = testSql();
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => createTestUser(`bulk${i}`)));
    const words = ["deploy", "invoice", "meeting", "review", "comment", "payment", "incident", "release", "standup", "backup"];
    const topics = ["billing", "search", "mobile", "onboarding", "security", "analytics", "checkout", "profile"];
    // Seeded with the per-row triggers off for this transaction only (numbers set here instead): the
    // numbering trigger costs ~0.2 ms a row, and what this test measures is the search.
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`
        insert into notifications (user_id, seq, title, body, read_at)
        select (${sql.array(users.map((u) => u.id))}::uuid[])[1 + g % 20], 1000000 + g,
               initcap((${sql.array(words)}::text[])[1 + (g * 7) % 10]) || ' for ' || (${sql.array(topics)}::text[])[1 + (g * 13) % 8] || ' #' || g,
               'Ticket ' || g || ': the ' || (${sql.array(topics)}::text[])[1 + (g * 3) % 8] || ' team asked for a ' ||
                 (${sql.array(words)}::text[])[1 + (g * 11) % 10] || case when g % 997 = 0 then ' zephyrine' else '' end,
               case when g % 4 = 0 then null else now() end
          from generate_series(1, 100000) g`;
    });
    await sql`analyze notifications`;
    const user = users[7];
    const dialect = new PgDialect();
    const plan = async (text: string) => {
      const q = dialect.sqlToQuery(searchStatement({ userId: user.id, text, limit: 21, offset: 0 }, { start: "<<", stop: ">>" }));
      const [row] = await sql.unsafe(`explain (analyze, format json) ${q.sql}`, q.params as never[]);
      return (row as any)["QUERY PLAN"][0] as { Plan: unknown; "Execution Time": number };
    };
    for (const text of ["zephyrine", "invoice security", "depl"]) {
      await plan(text);
      const runs = [await plan(text), await plan(text), await plan(text)];
      expect(JSON.stringify(runs[0].Plan)).toContain('"Index Name":"notifications_search_idx"');
      const median = runs.map((r) => r["Execution Time"]).sort((a, b) => a - b)[1];
      // Logged, not asserted: a time depends on what else the machine runs (it reached 98 ms beside
      // the browser suite); the plan is the outcome, and timings belong in npm run bench.
      console.log(`search "${text}" over 100,000 rows: ${median.toFixed(2)} ms (server execution, median of 3)`);
    }
    // And through the API, the caller sees their own matches only.
    const client = await Client.signedIn(user);
    const page = await search(client, "zephyrine");
    expect(page.items.length).toBe(5);
    expect(page.items.every((n: any) => n.body.includes("zephyrine"))).toBe(true);
    // The other suites need not scan these rows.
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`delete from notifications where user_id in ${sql(users.map((u) => u.id))}`;
    });
  }, 120_000);
});
