import { describe, expect, it } from "vitest";
import { createServiceNotificationSchema, METADATA_MAX_DEPTH } from "@/lib/validations/service-api";
import { JSON_MAX_DEPTH, jsonProblem } from "@/lib/validations/text";

const deep = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
const note = (metadata: unknown) => ({ to: "a@test.example", title: "x", metadata });

describe("input rules checked before anything recursive", () => {
  it("finds nesting too deep by a loop, even 20,000 levels down", () => {
    expect(jsonProblem(deep(20_000))).toMatchObject({ message: expect.stringMatching(/nested too deeply/) });
    expect(jsonProblem(deep(JSON_MAX_DEPTH))).toBeNull();
    expect(jsonProblem(deep(JSON_MAX_DEPTH + 1))?.keys).toHaveLength(JSON_MAX_DEPTH);
  });

  it("finds a NUL in any string or key, at any depth, with its path", () => {
    expect(jsonProblem({ a: [1, { "b.c": "x\u0000" }] })).toMatchObject({ path: "a.1.b.c", keys: ["a", "1", "b.c"] });
    expect(jsonProblem({ a: { "\u0000": 1 } })).toMatchObject({ path: "a", message: expect.stringMatching(/key/) });
    expect(jsonProblem({ a: ["fine", 1, null, true] })).toBeNull();
  });

  it("takes metadata nested up to the documented depth and refuses one level more", () => {
    expect(createServiceNotificationSchema.safeParse(note(deep(METADATA_MAX_DEPTH))).success).toBe(true);
    const refused = createServiceNotificationSchema.safeParse(note(deep(METADATA_MAX_DEPTH + 1)));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0].path[0]).toBe("metadata");
  });
});
