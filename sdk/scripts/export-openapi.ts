// Writes Herald's OpenAPI document to sdk/server/openapi.json, the input of the SDK's generated types
// (npm run sdk:generate). The document is built from the same zod schemas the routes validate with.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openApiDocument } from "../../lib/openapi/document";

const out = path.join(import.meta.dirname, "..", "server", "openapi.json");
writeFileSync(out, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
