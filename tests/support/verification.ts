import { readdir, readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { simpleParser } from "mailparser";
import { BASE_URL } from "./env";
import { until } from "./second-instance";
import type { Client } from "./users";

export type RawResponse = { status: number; text: string; headers: http.IncomingHttpHeaders };

/**
 * One HTTP request from a chosen loopback address (`localAddress`, e.g. 127.0.0.7), so a test of a
 * per-address limit counts under an address nobody else in the suite uses.
 */
export async function requestFrom(localAddress: string, pathname: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}) {
  const url = new URL(pathname, BASE_URL());
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? "GET", headers: init.headers, localAddress },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** The hidden fields of the page's first form (a server action's ids among them), as a browser without JavaScript sends them. */
export function hiddenFields(html: string): FormData {
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? "";
  const data = new FormData();
  for (const [, attrs] of form.matchAll(/<input([^>]*type="hidden"[^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? "";
    if (name) data.append(name, value.replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
  }
  return data;
}

const withFields = (html: string, fields: Record<string, string>) => {
  const data = hiddenFields(html);
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
};

/** Submits the form of the page at `pathname` with `fields` added, through a client (its cookies kept). */
export async function submitForm(client: Client, pathname: string, fields: Record<string, string> = {}) {
  const html = await (await client.fetch(pathname)).text();
  const res = await client.fetch(pathname, { method: "POST", body: withFields(html, fields) });
  return { status: res.status, location: res.headers.get("location"), text: await res.text() };
}

/** The same, from a chosen loopback address. */
export async function submitFormFrom(localAddress: string, pathname: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const page = await requestFrom(localAddress, pathname);
  const encoded = new Request("http://x/", { method: "POST", body: withFields(page.text, fields) });
  return requestFrom(localAddress, pathname, {
    method: "POST",
    headers: { "Content-Type": encoded.headers.get("content-type")!, Origin: new URL(BASE_URL()).origin, ...headers },
    body: Buffer.from(await encoded.arrayBuffer()),
  });
}

/** Mail the test server's mail catcher took for `to` (newest last). */
export async function caughtMail(to: string) {
  const dir = process.env.HERALD_DEV_MAIL_DIR;
  if (!dir) throw new Error("HERALD_DEV_MAIL_DIR is not set: run the tests with `npm test`");
  const names = (await readdir(dir)).filter((f) => f.endsWith(".eml")).sort();
  const mails = await Promise.all(names.map(async (f) => simpleParser(await readFile(path.join(dir, f)))));
  return mails.filter((m) => [m.to].flat().some((t) => t?.value.some((v) => v.address?.toLowerCase() === to.toLowerCase())));
}

/** The path of the newest verification link mailed to `to`, once it has arrived. */
export async function verificationPath(to: string, after = 0) {
  let found: string | null = null;
  await until(async () => {
    const links = (await caughtMail(to)).filter((m) => m.subject?.startsWith("Verify your email")).map((m) => /\/verify\/[A-Za-z0-9_-]{43}/.exec(m.text ?? "")?.[0]);
    found = links.length > after ? (links.at(-1) ?? null) : null;
    return found !== null;
  }, `a verification email to ${to}`);
  return found!;
}
