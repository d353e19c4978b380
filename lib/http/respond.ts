import "server-only";
import type { z } from "zod";
import { sqlStateOf } from "@/lib/db/errors.mjs";
import { AppError } from "@/lib/errors";
import { logError } from "@/lib/logging/log-error.mjs";
import { jsonProblem } from "@/lib/validations/text";
import { assertSameOrigin } from "./origin";

/** Largest JSON body any endpoint accepts (documented in the README). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Input the database itself refused as unstorable: a NUL character (22021), a \u0000 escape in
 * JSON (22P05), nesting too deep for it (54001). Validation refuses these first; this keeps any
 * path that validation missed a 400, not a 500.
 */
const UNSTORABLE_INPUT = new Set(["22021", "22P05", "54001"]);

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const body = { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
    return Response.json(body, { status: err.status, headers: err.headers });
  }
  // The client hung up while its body was being read: nobody is left to answer, and nothing failed here.
  if (clientAborted(err)) {
    return errorResponse(new AppError("bad_request", "The request was aborted before its body arrived"));
  }
  const state = sqlStateOf(err);
  if (state && UNSTORABLE_INPUT.has(state)) {
    logError("request refused by the database", err);
    return errorResponse(
      new AppError("validation_error", "The request holds characters or nesting that cannot be stored (e.g. a NUL character)"),
    );
  }
  // Database and programming errors are logged, never echoed.
  logError("unhandled error", err);
  return Response.json(
    { error: { code: "internal_error", message: "Something went wrong on our side" } },
    { status: 500 },
  );
}

function clientAborted(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return !!e && e.code === "ECONNRESET" && e.message === "aborted";
}

export type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a handler so every thrown AppError becomes its JSON error response. */
export function guarded<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/**
 * A cookie-authenticated route handler: unsafe methods must come from this site (CSRF), then every
 * thrown AppError becomes its JSON error response. Token-authenticated handlers use `serviceRoute`.
 */
export function route<C = unknown>(handler: Handler<C>): Handler<C> {
  return guarded(async (request, context) => {
    assertSameOrigin(request);
    return handler(request, context);
  });
}

type Detail = { path: string; message: string };
type Issue = { path: PropertyKey[]; message: string; code: string; errors?: Issue[][] };

/**
 * One line per problem. A union (`to`: a recipient or a list of them) reports "Invalid input" with
 * every branch's issues; when exactly one branch got past the type check, its issues are the clear
 * ones ("to.3: must be a user id or an email"), so those are shown instead.
 */
function explain(issues: Issue[], prefix: PropertyKey[] = []): Detail[] {
  const out: Detail[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors?.length) {
      const deeper = issue.errors.filter((branch) =>
        branch.some((i) => i.path.length > 0 || (i.code !== "invalid_type" && i.code !== "invalid_union")),
      );
      if (deeper.length === 1) {
        out.push(...explain(deeper[0], path));
        continue;
      }
    }
    out.push({ path: path.map(String).join("."), message: issue.message });
  }
  return out;
}

export function zodDetails(error: z.ZodError): Detail[] {
  return explain(error.issues as unknown as Issue[]);
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  // Before the schema: zod and everything after it may recurse, and no field may hold a NUL.
  const problem = jsonProblem(input);
  if (problem) {
    const where = problem.path ? `${problem.path}: ` : "";
    throw new AppError("validation_error", `${where}${problem.message}`, { details: [{ path: problem.path, message: problem.message }] });
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const details = zodDetails(parsed.error);
    const first = details[0];
    const where = first?.path ? `${first.path}: ` : "";
    throw new AppError("validation_error", `${where}${first?.message ?? "Invalid input"}`, { details });
  }
  return parsed.data;
}

/** Reads a JSON body with a size cap (64 KB unless the endpoint documents more) and validates it. */
export async function readJson<T extends z.ZodType>(
  request: Request,
  schema: T,
  { maxBytes = MAX_BODY_BYTES }: { maxBytes?: number } = {},
): Promise<z.infer<T>> {
  return parseWith(schema, await readJsonValue(request, maxBytes));
}

/** The body parsed as JSON but not yet validated (for callers that also hash it). */
export async function readJsonValue(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readCapped(request, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON");
  }
  return json;
}

const tooLarge = (maxBytes: number) =>
  new AppError("payload_too_large", `The body is larger than ${maxBytes / 1024} KB`);

async function readCapped(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
