import { hash } from "@node-rs/argon2";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import webpush from "web-push";
// @ts-expect-error plain .mjs scripts without declarations
import { recreateDatabase } from "../../scripts/lib/embedded-pg.mjs";
// @ts-expect-error plain .mjs scripts without declarations
import { runMigrations } from "../../scripts/lib/setup.mjs";
import { requireEnv } from "./env";
import { SecondInstance } from "./second-instance";
import { TEST_PASSWORD, type TestUser } from "./users";

const basePort = () => Number(process.env.HERALD_TEST_PORT ?? 3100);
/** Ports of the delivery tests: instances at +3 and +4 (the mail catcher has +5), SMTP +6, push +7. */
export const DELIVERY_PORTS = { a: basePort() + 3, b: basePort() + 4, smtp: basePort() + 6, push: basePort() + 7 };
export const VAPID = webpush.generateVAPIDKeys();

/**
 * Email and push are done by whichever instance's worker takes the job, so these tests get a
 * database of their own and the only instances working on it: the main test server never sees
 * their jobs, and a test decides exactly which workers run (one to kill, two to race).
 */
export class DeliveryWorld {
  readonly instances: SecondInstance[] = [];
  private passwordHash?: string;

  private constructor(
    readonly url: string,
    readonly sql: postgres.Sql,
    readonly env: Record<string, string>,
  ) {}

  static async create(name: string, env: Record<string, string>) {
    const main = new URL(requireEnv("DATABASE_URL"));
    const admin = process.env.HERALD_TEST_ADMIN_URL ?? main.toString();
    await recreateDatabase(admin, name);
    const url = new URL(main);
    url.pathname = `/${name}`;
    await runMigrations(url.toString());
    const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
    return new DeliveryWorld(url.toString(), sql, {
      DATABASE_URL: url.toString(),
      HERALD_EMAIL_DELAY_S: "2",
      HERALD_DELIVERY_RETRY_DELAY_S: "1",
      HERALD_DELIVERY_TIMEOUT_S: "4",
      CLEANUP_INTERVAL_SECONDS: "0",
      VAPID_PUBLIC_KEY: VAPID.publicKey,
      VAPID_PRIVATE_KEY: VAPID.privateKey,
      VAPID_SUBJECT: "mailto:ops@herald.test",
      HERALD_PUBLIC_URL: "https://herald.test",
      // The test push service is on 127.0.0.1.
      HERALD_PUSH_ALLOW_LOCAL: "true",
      ...env,
    });
  }

  /** Starts a server on this database (port: DELIVERY_PORTS.a or .b). */
  async start(port: number, env: Record<string, string> = {}) {
    const instance = await SecondInstance.start(port, { ...this.env, ...env });
    this.instances.push(instance);
    return instance;
  }

  /** A reader; verified (email is only for verified addresses) unless `verified: false`. */
  async user(prefs?: { email?: boolean; push?: boolean; digest?: "instant" | "hourly" | "daily" | "off"; verified?: boolean }): Promise<TestUser> {
    this.passwordHash ??= await hash(TEST_PASSWORD);
    const email = `reader-${randomUUID().slice(0, 8)}@test.example`;
    const verifiedAt = prefs?.verified === false ? null : new Date();
    const [row] = await this.sql<{ id: string }[]>`
      insert into users (email, name, password_hash, email_verified_at) values (${email}, 'Reader', ${this.passwordHash}, ${verifiedAt}) returning id`;
    if (prefs) {
      const categories = { general: { email: prefs.email ?? false, push: prefs.push ?? true }, message: { email: prefs.email ?? false, push: prefs.push ?? true } };
      await this.sql`
        insert into user_preferences (user_id, categories, email_digest)
        values (${row.id}, ${this.sql.json(categories)}, ${prefs.digest ?? "instant"})`;
    }
    return { id: row.id, email, name: "Reader" };
  }

  /** A notification written with plain SQL, as another program would. */
  async insert(userId: string, values: { title?: string; body?: string; priority?: string; category?: string } = {}) {
    const [row] = await this.sql<{ id: string }[]>`
      insert into notifications (user_id, title, body, priority, category)
      values (${userId}, ${values.title ?? "Hello"}, ${values.body ?? ""}, ${values.priority ?? "normal"}, ${values.category ?? "general"})
      returning id`;
    return Number(row.id);
  }

  async deliveries(notificationId: number) {
    return this.sql<{ channel: string; status: string; reason: string | null; attempts: number; target: string | null }[]>`
      select channel, status, reason, attempts, target from notification_deliveries where notification_id = ${notificationId} order by id`;
  }

  async attempts(notificationId: number) {
    return this.sql<{ outcome: string; detail: string | null }[]>`
      select a.outcome, a.detail from delivery_attempts a join notification_deliveries d on d.id = a.delivery_id
       where d.notification_id = ${notificationId} order by a.delivery_id, a.attempt`;
  }

  async close() {
    for (const i of this.instances) await i.stop();
    await this.sql.end({ timeout: 1 });
  }
}
