import { z } from "zod";
import { errorRef } from "./errors";

/** One operation of the API, described with the same zod schemas the handlers validate with. */
export type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** `person`: the session cookie, or an app's subscriber token (the routes a host page calls, with CORS). */
  auth: "cookie" | "person" | "token" | "none";
  pathParams?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** A body that may be left out entirely (read-all). */
  bodyOptional?: boolean;
  /** When the body may be larger than the default 64 KB. */
  bodyMaxBytes?: number;
  /** Success responses by status; a missing schema means no body (204). */
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: Record<string, string> }>;
  /** Error statuses besides the ones every operation of its kind may answer. */
  errors?: number[];
};

const COMPONENTS = "#/components/schemas/";
const SECURITY = {
  cookie: [{ sessionCookie: [] }],
  person: [{ sessionCookie: [] }, { subscriberToken: [] }],
  token: [{ serviceToken: [] }],
  none: [],
} as const;
type Json = Record<string, unknown>;

/** Refs that zod writes as local `#/$defs/X` point at components shared by the whole document. */
function relink(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relink);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$schema" || k === "$id" || k === "$defs") continue;
    out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\/\$defs\//, COMPONENTS) : relink(v);
  }
  return out;
}

const options = { io: "input", unrepresentable: "any", uri: (id: string) => `${COMPONENTS}${id}` } as const;

/**
 * The document's named schemas (`.meta({id})`), gathered from the very schema objects it describes.
 * Not zod's global registry: a module bundled into several server chunks (route handlers, pages,
 * instrumentation) registers one copy of each schema per chunk there, under the same ids, and
 * converting that registry fails with "Duplicate schema id".
 */
export class Components {
  private readonly registry = z.registry<{ id: string }, z.core.$ZodType>();

  /** Records every named schema `schema` contains (itself included) by walking it as the converter does. */
  private gather(schema: z.ZodType) {
    z.toJSONSchema(schema, {
      ...options,
      override: ({ zodSchema }) => {
        const id = z.globalRegistry.get(zodSchema)?.id;
        if (typeof id !== "string" || this.registry.has(zodSchema)) return;
        if (this.registry._idmap.has(id)) throw new Error(`two different schemas are named ${id} in the OpenAPI document`);
        this.registry.add(zodSchema, { id });
      },
    });
  }

  /** A schema as JSON Schema (2020-12, OpenAPI 3.1's dialect): a $ref when it is a named component. */
  jsonSchema = (schema: z.ZodType): Json => {
    this.gather(schema);
    const id = this.registry.get(schema)?.id;
    if (typeof id === "string") return { $ref: `${COMPONENTS}${id}` };
    return relink(z.toJSONSchema(schema, options)) as Json;
  };

  /** Every named schema met so far, as `components.schemas`. */
  schemas(): Json {
    const { schemas } = z.toJSONSchema(this.registry, options) as { schemas: Json };
    return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, relink(s)]));
  }
}

function parameters(op: Operation, jsonSchema: Components["jsonSchema"]) {
  const params: Json[] = [];
  for (const [name, schema] of Object.entries(op.pathParams ?? {})) {
    params.push({ name, in: "path", required: true, schema: jsonSchema(schema) });
  }
  for (const [where, obj] of [["query", op.query], ["header", op.headers]] as const) {
    if (!obj) continue;
    for (const [name, schema] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
      const json = jsonSchema(schema);
      const description = typeof json.description === "string" ? json.description : undefined;
      params.push({ name, in: where, required: !schema.safeParse(undefined).success, ...(description ? { description } : {}), schema: json });
    }
  }
  return params;
}

export function operationObject(op: Operation, { jsonSchema }: Components) {
  const errors = new Set(op.errors ?? []);
  if (op.auth !== "none") errors.add(401);
  if (op.auth === "token") errors.add(429);
  if ((op.auth === "cookie" || op.auth === "person") && op.method !== "get") errors.add(403);
  if (op.auth === "person") errors.add(403);
  if (op.body) [400, 413, 415].forEach((s) => errors.add(s));
  if (op.pathParams || op.query || op.headers) errors.add(400);
  errors.add(405);

  const responses: Json = {};
  for (const [status, r] of Object.entries(op.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.headers ? { headers: Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: "string" } }])) } : {}),
      ...(r.schema ? { content: { "application/json": { schema: jsonSchema(r.schema) } } } : {}),
    };
  }
  for (const status of [...errors].sort()) responses[String(status)] = errorRef(status);
  const params = parameters(op, jsonSchema);
  return {
    operationId: `${op.method}${op.path.replace(/[{}]/g, "").replace(/(^|[/.-])([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}`,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    security: SECURITY[op.auth],
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: !op.bodyOptional,
            description: `JSON, at most ${(op.bodyMaxBytes ?? 64 * 1024) / 1024} KB`,
            content: { "application/json": { schema: jsonSchema(op.body) } },
          },
        }
      : {}),
    responses,
  };
}
