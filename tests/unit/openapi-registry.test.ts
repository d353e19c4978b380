import { describe, expect, it, vi } from "vitest";

// A production server bundles lib/validations into several server chunks (route handlers, pages,
// instrumentation), each with its own copy of every schema, and zod's global registry then holds
// one schema per copy under each id. Here: the document's module, then a second copy of the
// notification schemas (the chunk a page or the realtime layer loads later), then the document.
describe("the OpenAPI document", () => {
  it("builds when another copy of the schemas registered the same ids after it was loaded", async () => {
    vi.resetModules();
    const { openApiDocument } = await import("@/lib/openapi/document");
    vi.resetModules();
    await import("@/lib/validations/notifications");
    await import("@/lib/validations/service-api");
    const doc = openApiDocument() as { components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["HighlightSegment", "Notification", "ServiceNotification", "Error"]));
    expect(JSON.stringify(doc)).not.toContain("__shared");
  });
});
