import type PgBoss from "pg-boss";

export const JOB_SCHEMA: string;
export const QUEUES: { email: string; push: string; cleanup: string; wake: string; webhooks: string };
export type DeliveryPolicy = { retries?: number; retryDelaySeconds?: number; timeoutSeconds?: number };
export function deliveryQueueOptions(policy?: DeliveryPolicy): Omit<PgBoss.Queue, "name">;
export function queueOptions(policy?: DeliveryPolicy): Record<string, Omit<PgBoss.Queue, "name">>;
export function createBoss(connectionString: string, options?: Partial<PgBoss.ConstructorOptions>): PgBoss;
export function ensureQueues(boss: PgBoss, policy?: DeliveryPolicy): Promise<void>;
export function installJobQueues(connectionString: string): Promise<void>;
