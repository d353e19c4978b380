import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { BASE_URL } from "./support/env";
import { SecondInstance } from "./support/second-instance";

// The test server has sign-up open (the default); a second instance of the same build, on the same
// database, runs with HERALD_SIGNUP=closed.
let closed: SecondInstance;

beforeAll(async () => {
  closed = await SecondInstance.start(Number(process.env.HERALD_TEST_PORT_B), { HERALD_SIGNUP: "closed" });
}, 90_000);

afterAll(async () => {
  await closed?.stop();
  await closeTestSql();
});

const html = async (url: string) => (await fetch(url, { redirect: "manual" })).text();

/**
 * Submits the sign-up form the way a browser without JavaScript does: the page's own hidden fields
 * (which name the server action; the same build has the same ids on every instance) plus the
 * person's. This reaches `signUpAction` whether or not the page shows the form.
 */
async function submitSignUp(formPageUrl: string, targetUrl: string, email: string) {
  const page = await html(formPageUrl);
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(page)?.[1] ?? "";
  const data = new FormData();
  for (const [, attrs] of form.matchAll(/<input([^>]*type="hidden"[^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? "";
    if (name) data.append(name, value.replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
  }
  expect([...data.keys()].some((k) => k.startsWith("$ACTION")), "the form names its server action").toBe(true);
  data.append("name", "Mallory");
  data.append("email", email);
  data.append("password", "long enough password");
  const origin = new URL(targetUrl).origin;
  return fetch(targetUrl, { method: "POST", body: data, headers: { Origin: origin }, redirect: "manual" });
}

const accounts = async (email: string) =>
  (await testSql()`select count(*)::int as n from users where lower(email) = ${email}`)[0].n as number;

describe("HERALD_SIGNUP=closed", () => {
  it("says so on /signup, shows no form, and the sign-in page does not offer it", async () => {
    const signup = await html(`${closed.url}/signup`);
    expect(signup).toContain("Sign-up is closed");
    expect(signup).not.toContain('name="password"');
    const signin = await html(`${closed.url}/signin`);
    expect(signin).toContain('name="password"');
    expect(signin).not.toContain('href="/signup"');
    // With sign-up open, both are there.
    expect(await html(`${BASE_URL()}/signin`)).toContain('href="/signup"');
  });

  it("refuses the sign-up action itself, not only the page", async () => {
    const refused = `mallory-${randomUUID().slice(0, 8)}@test.example`;
    const res = await submitSignUp(`${BASE_URL()}/signup`, `${closed.url}/signup`, refused);
    expect(res.status).toBeLessThan(500);
    expect(await res.text()).toContain("Sign-up is closed");
    expect(await accounts(refused)).toBe(0);

    // The same submission to the open instance creates the account: the test reaches the action.
    const allowed = `mallory-${randomUUID().slice(0, 8)}@test.example`;
    await submitSignUp(`${BASE_URL()}/signup`, `${BASE_URL()}/signup`, allowed);
    expect(await accounts(allowed)).toBe(1);
  });
});
