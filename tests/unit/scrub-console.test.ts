import { afterEach, describe, expect, it, vi } from "vitest";
import { installConsoleScrub } from "@/lib/logging/scrub-console";

/** A failed query as drizzle throws it: the SQL, every parameter, and PostgreSQL's error as the cause. */
function failedQuery(secret: string) {
  const cause = Object.assign(new Error(`duplicate key value: (email)=(${secret})`), { name: "PostgresError", code: "23505", detail: `Key (email)=(${secret}) already exists.` });
  return Object.assign(new Error(`Failed query: insert into users (email) values ($1)\nparams: ${secret}`, { cause }), {
    name: "DrizzleQueryError",
    query: "insert into users (email) values ($1)",
    params: [secret],
  });
}

describe("the console as Next.js logs through it", () => {
  const original = { error: console.error, warn: console.warn };
  afterEach(() => Object.assign(console, original));

  it("writes a database error without its parameters or PostgreSQL's message, and other arguments as they are", () => {
    const written: unknown[][] = [];
    console.error = (...args: unknown[]) => void written.push(args);
    console.warn = vi.fn();
    installConsoleScrub();
    installConsoleScrub(); // a second install (a dev reload) wraps nothing twice
    console.error("⨯", failedQuery("ada@example.com"), { digest: "42" });
    const line = written.map((args) => args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")).join("\n");
    expect(line).toContain("23505");
    expect(line).toContain("insert into users (email) values ($1)");
    expect(line).not.toContain("ada@example.com");
    expect(line).not.toMatch(/params: /);
    expect(written[0][0]).toBe("⨯");
    expect(written[0][2]).toEqual({ digest: "42" });
    expect(written).toHaveLength(1);
  });
});
