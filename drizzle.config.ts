import { defineConfig } from "drizzle-kit";

// Migrations are generated from db/schema.ts; the notify trigger is a custom migration.
// Apply them with `npm run db:migrate` (never `drizzle-kit push`: it skips the trigger).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "" },
});
