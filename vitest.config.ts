import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Integration files that must run alone, after the others (HERALD_TEST_SERIAL=1): they restart
 * PostgreSQL, start or kill servers on the fixed ports beside the test server's, measure its memory
 * or time its queries, or read what is global to it (open streams, metrics, the dashboard's
 * per-minute counts, its log, the per-address sign-in buckets). Every other file makes its own users
 * and data, so those run two at a time. A new file that does any of the above belongs here.
 */
export const SERIAL_FILES = [
  "tests/account-limits.test.ts", // runs the cleanup job, which sweeps every user's rows
  "tests/admin-dashboard.test.ts",
  "tests/api-openapi.test.ts", // a second instance on HERALD_TEST_PORT_B
  "tests/delivery-faults.test.ts",
  "tests/delivery-memory.test.ts",
  "tests/delivery-resources.test.ts",
  "tests/logging.test.ts",
  "tests/metrics.test.ts",
  "tests/push-delivery.test.ts", // the delivery ports, which email-delivery (run with the others) uses too
  "tests/realtime-fallback.test.ts", // takes every free replication slot
  "tests/realtime-scale-out.test.ts",
  "tests/search.test.ts",
  "tests/sessions-scale-out.test.ts",
  "tests/shutdown.test.ts",
  "tests/sign-in-throttle.test.ts",
  "tests/signup-closed.test.ts",
  "tests/webhooks-instances.test.ts", // a second instance on HERALD_TEST_PORT_B; pauses the test server
];

const serial = process.env.HERALD_TEST_SERIAL === "1";

// The integration suite talks to the real server and database that scripts/test.mjs starts
// (BASE_URL, DATABASE_URL). Server modules import "server-only", which only the Next bundler resolves.
export default defineConfig({
  resolve: {
    alias: {
      "@": import.meta.dirname,
      "server-only": path.join(import.meta.dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    include: serial ? SERIAL_FILES : ["tests/**/*.test.ts", "lib/**/*.test.ts"],
    // The pure suite has its own config (vitest.unit.config.ts) and needs no server.
    exclude: ["tests/unit/**", "**/node_modules/**", ...(serial ? [] : SERIAL_FILES)],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: !serial,
    maxWorkers: serial ? 1 : 2,
    pool: "forks",
  },
});
