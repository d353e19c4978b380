import path from "node:path";
import { defineConfig } from "vitest/config";

// The integration suite talks to the real server and database that scripts/test.mjs starts
// (BASE_URL, DATABASE_URL). Server modules import "server-only", which only the Next bundler resolves.
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      "server-only": path.resolve(__dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts", "lib/**/*.test.ts"],
    // The pure suite has its own config (vitest.unit.config.ts) and needs no server.
    exclude: ["tests/unit/**", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: "forks",
  },
});
