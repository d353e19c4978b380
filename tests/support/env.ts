export function requireEnv(name: "HERALD_BASE_URL" | "DATABASE_URL"): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\` (scripts/test.mjs starts the server and database)`);
  return value;
}

export const BASE_URL = () => requireEnv("HERALD_BASE_URL");
