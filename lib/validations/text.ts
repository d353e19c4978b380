import { z } from "zod";

// Rules every piece of client input follows, whatever its field. PostgreSQL cannot store NUL in
// text or jsonb (22021/22P05), and anything recursive (JSON.stringify, zod, hashing a body) must
// never meet input nested deep enough to overflow the stack, so both are checked here, before
// anything else looks at the input, by a loop rather than recursion.

export const NUL_MESSAGE = "must not contain NUL (\\u0000) characters";
/** Any JSON input (a body, a query, headers) deeper than this is refused outright. */
export const JSON_MAX_DEPTH = 32;

export const hasNul = (s: string) => s.includes("\u0000");

/** `z.string()` for anything stored or searched: refuses NUL. Chain `.trim()`, `.max()` as usual. */
export const text = () => z.string().refine((s) => !hasNul(s), NUL_MESSAGE);

/** `path` is `keys` joined with dots, as error details show paths. */
export type InputProblem = { path: string; keys: string[]; message: string };

/**
 * The first problem in a JSON value: a NUL in a string or a key, or nesting deeper than `maxDepth`
 * (a top-level object is depth 1). Iterative, so a value 20,000 levels deep is just a long loop.
 */
export function jsonProblem(value: unknown, maxDepth = JSON_MAX_DEPTH): InputProblem | null {
  const stack: { value: unknown; path: string[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    const at = path.join(".");
    if (typeof v === "string") {
      if (hasNul(v)) return { path: at, keys: path, message: NUL_MESSAGE };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth + 1 > maxDepth) return { path: at, keys: path, message: `is nested too deeply (at most ${maxDepth} levels)` };
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (const [key, child] of entries) {
      if (hasNul(key)) return { path: at, keys: path, message: `has a key that ${NUL_MESSAGE}` };
      stack.push({ value: child, path: [...path, key], depth: depth + 1 });
    }
  }
  return null;
}

/** "Not blank and no NUL" as one pattern, so the OpenAPI document states both. */
const NOT_BLANK = /^[^\u0000]*\S[^\u0000]*$/;

/**
 * Text that must not be blank, trimmed before use. The length is checked before trimming and
 * "not blank" is a pattern, so the OpenAPI document (maxLength + pattern) describes exactly what
 * is accepted; `min(1)` after `trim()` would be a rule the document cannot show.
 */
export const requiredText = (max: number, tooLong = `must be at most ${max} characters`) =>
  text().max(max, tooLong).regex(NOT_BLANK, "is required").trim();

/** Optional free text (a search), trimmed; the length limit is on what was sent. */
export const trimmedText = (max: number) => text().max(max, `must be at most ${max} characters`).trim();
