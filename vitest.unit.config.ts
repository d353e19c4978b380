import path from "node:path";
import { defineConfig } from "vitest/config";

// Pure tests: no database, no server, no network. `npm run test:unit`.
export default defineConfig({
  resolve: {
    alias: {
      "@": import.meta.dirname,
      "server-only": path.join(import.meta.dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    testTimeout: 5_000,
  },
});
