import { z } from "zod";

const positiveInt = (name: string) =>
  z.coerce.number({ message: `${name} must be a positive integer` }).int(`${name} must be a positive integer`).min(1, `${name} must be a positive integer`);

// Read lazily so `next build` does not need a database; validated once, failing fast with a clear list.
const schema = z.object({
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgres:// URL (npm start sets it for the embedded database)" }),
  DATABASE_LISTEN_URL: z.url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  AUTH_SECRET: z.string().min(16, "AUTH_SECRET must be at least 16 characters"),
  // Comma-separated; these people are admins (lib/auth/roles.ts). Empty: nobody is.
  HERALD_ADMIN_EMAILS: z.string().default(""),
  HERALD_SIGNUP: z.enum(["open", "closed"], { message: "HERALD_SIGNUP must be open or closed" }).default("open"),
  // Streams one user may hold on one process; a new one beyond it closes that user's oldest.
  HERALD_MAX_STREAMS_PER_USER: positiveInt("HERALD_MAX_STREAMS_PER_USER").default(20),
  // Bytes a resume may replay; beyond it the stream answers sync.reset ("too-large") and the client refetches.
  HERALD_MAX_REPLAY_BYTES: positiveInt("HERALD_MAX_REPLAY_BYTES").default(8 * 1024 * 1024),
});

export type Env = z.infer<typeof schema>;
let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  cached = parsed.data;
  return cached;
}
