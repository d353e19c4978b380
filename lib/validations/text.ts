import { z } from "zod";

/**
 * Text that must not be blank, trimmed before use. The length is checked before trimming and
 * "not blank" is a pattern, so the OpenAPI document (maxLength + pattern) describes exactly what
 * is accepted; `min(1)` after `trim()` would be a rule the document cannot show.
 */
export const requiredText = (max: number, tooLong = `must be at most ${max} characters`) =>
  z.string().max(max, tooLong).regex(/\S/, "is required").trim();

/** Optional free text (a search), trimmed; the length limit is on what was sent. */
export const trimmedText = (max: number) => z.string().max(max, `must be at most ${max} characters`).trim();
