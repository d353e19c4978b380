import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import {
  countSigningKeys,
  countSubscribers,
  deleteAppRow,
  deleteSigningKey,
  getAppRow,
  insertApp,
  insertSigningKey,
  listAppRows,
  listSigningKeys,
  updateAppRow,
} from "@/db/queries/apps";
import type { App } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import type { SessionUser } from "@/lib/auth/session";
import { isAdmin } from "@/lib/auth/roles";
import { AppError, notFound } from "@/lib/errors";
import type { AppDTO, CreateAppInput, UpdateAppInput } from "@/lib/validations/apps";
import { generateSigningKey, sealSecret } from "./secrets";

/** Rotation needs two; more than a few is a leak waiting to be forgotten. */
export const SIGNING_KEYS_MAX = 5;

type KeyRow = { appId: string; kid: string; createdAt: Date };

function toAppDTO(app: App, keys: KeyRow[]): AppDTO {
  return {
    id: app.id,
    name: app.name,
    allowedOrigins: app.allowedOrigins,
    signingKeys: keys.filter((k) => k.appId === app.id).map((k) => ({ kid: k.kid, createdAt: k.createdAt.toISOString() })),
    createdAt: app.createdAt.toISOString(),
  };
}

/** Apps are the server's configuration: only admins see or change them. */
export function assertAdmin(user: SessionUser) {
  if (!isAdmin(user)) throw new AppError("forbidden", "Only admins may manage apps");
}

export async function createApp(user: SessionUser, input: CreateAppInput) {
  assertAdmin(user);
  const { kid, secret } = generateSigningKey();
  return withTransaction(async (tx) => {
    const app = await insertApp(tx, { name: input.name, allowedOrigins: input.allowedOrigins });
    const key = await insertSigningKey(tx, { kid, appId: app.id, secretCiphertext: sealSecret(secret) });
    return { app: toAppDTO(app, [{ appId: app.id, ...key }]), signingKey: { kid, secret } };
  });
}

export async function listApps(user: SessionUser): Promise<AppDTO[]> {
  assertAdmin(user);
  const rows = await listAppRows(db);
  const keys = await listSigningKeys(db, rows.map((a) => a.id));
  return rows.map((a) => toAppDTO(a, keys));
}

export async function getApp(user: SessionUser, id: string): Promise<AppDTO> {
  assertAdmin(user);
  const app = await getAppRow(db, id);
  if (!app) throw notFound("App");
  return toAppDTO(app, await listSigningKeys(db, [id]));
}

/** The app with how many subscribers it has, for its settings page. */
export async function getAppWithCounts(user: SessionUser, id: string): Promise<AppDTO & { subscriberCount: number }> {
  const app = await getApp(user, id);
  return { ...app, subscriberCount: await countSubscribers(db, id) };
}

export async function updateApp(user: SessionUser, id: string, input: UpdateAppInput): Promise<AppDTO> {
  assertAdmin(user);
  const app = await updateAppRow(db, { id, ...input });
  if (!app) throw notFound("App");
  return toAppDTO(app, await listSigningKeys(db, [id]));
}

/** Erases the app with its keys, app tokens and every subscriber and what is theirs. */
export async function deleteApp(user: SessionUser, id: string) {
  assertAdmin(user);
  if (!(await deleteAppRow(db, id))) throw notFound("App");
}

export async function addSigningKey(user: SessionUser, appId: string) {
  assertAdmin(user);
  const { kid, secret } = generateSigningKey();
  await withTransaction(async (tx) => {
    // Serialises one app's key changes so the cap holds under concurrent requests.
    await tx.execute(sql`select id from apps where id = ${appId} for update`);
    if (!(await getAppRow(tx, appId))) throw notFound("App");
    if ((await countSigningKeys(tx, appId)) >= SIGNING_KEYS_MAX) {
      throw new AppError("limit_reached", `An app has at most ${SIGNING_KEYS_MAX} signing keys; delete an old one first`);
    }
    await insertSigningKey(tx, { kid, appId, secretCiphertext: sealSecret(secret) });
  });
  return { kid, secret };
}

/** Every token the key signed fails from now on; open streams that use one end (lib/realtime). */
export async function removeSigningKey(user: SessionUser, appId: string, kid: string) {
  assertAdmin(user);
  if (!(await deleteSigningKey(db, { appId, kid }))) throw notFound("Signing key");
}
