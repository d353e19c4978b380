import "server-only";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { env } from "@/lib/env";

/** What the local mail catcher caught (HERALD_DEV_MAIL_DIR); null when it is not running. */
export type CaughtMail = { id: string; to: string[]; subject: string; date: Date | null; mail: ParsedMail };

const ID = /^\d+-[0-9a-f]{8}\.eml$/;
const SHOWN = 100;

const recipients = (m: ParsedMail) => [m.to].flat().flatMap((t) => t?.value.map((v) => v.address?.toLowerCase() ?? "") ?? []);

function dir() {
  return env().HERALD_DEV_MAIL_DIR ?? null;
}

async function read(folder: string, id: string): Promise<CaughtMail | null> {
  try {
    const mail = await simpleParser(await readFile(/*turbopackIgnore: true*/ path.join(folder, id)));
    return { id, to: recipients(mail), subject: mail.subject ?? "(no subject)", date: mail.date ?? null, mail };
  } catch {
    return null;
  }
}

/** Newest first; only mail addressed to `viewer` unless `all` (admins). */
export async function listCaughtMail(viewer: { email: string; all: boolean }): Promise<CaughtMail[] | null> {
  const folder = dir();
  if (!folder) return null;
  const ids = (await readdir(/*turbopackIgnore: true*/ folder).catch(() => [] as string[])).filter((f) => ID.test(f)).sort().reverse().slice(0, SHOWN);
  const mails = (await Promise.all(ids.map((id) => read(folder, id)))).filter((m): m is CaughtMail => m !== null);
  return viewer.all ? mails : mails.filter((m) => m.to.includes(viewer.email.toLowerCase()));
}

export async function getCaughtMail(id: string, viewer: { email: string; all: boolean }): Promise<CaughtMail | null> {
  const folder = dir();
  if (!folder || !ID.test(id)) return null;
  const m = await read(folder, id);
  if (!m || (!viewer.all && !m.to.includes(viewer.email.toLowerCase()))) return null;
  return m;
}

export const devMailEnabled = () => dir() !== null;
