import "server-only";
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

/** Built by sdk/element/build.mjs (`npm run build`, and `npm start` before it serves). */
export const ELEMENT_FILE = path.join(process.cwd(), "sdk", "element", "dist", "herald.js");

type Script = { body: Buffer; etag: string; mtimeMs: number };
let cached: Script | null = null;

/** The element's script and its ETag, read once per build (a rebuild on disk is picked up). */
export async function elementScript(): Promise<Script | null> {
  const info = await stat(ELEMENT_FILE).catch(() => null);
  if (!info) return null;
  if (cached?.mtimeMs === info.mtimeMs) return cached;
  const body = await readFile(ELEMENT_FILE);
  cached = { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`, mtimeMs: info.mtimeMs };
  return cached;
}
