"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { addSigningKey, createApp, deleteApp, removeSigningKey, updateApp } from "@/lib/apps/service";
import { requireUser } from "@/lib/auth/session";
import { failure, userAction } from "@/lib/http/action";
import { parseWith } from "@/lib/http/respond";
import { createToken } from "@/lib/tokens/service";
import { appIdSchema, createAppSchema, kidSchema, updateAppSchema } from "@/lib/validations/apps";
import { requiredText } from "@/lib/validations/text";

/** A secret shown once: the signing key of a new app or key, or a new app token. */
export type SecretState = { ok: true; kind: "signing-key" | "app-token"; label: string; secret: string; appId: string } | { ok: false; error: string } | null;

/** Origins as typed in the form: one per line (commas and spaces separate too). */
const originsOf = (form: FormData) =>
  String(form.get("allowedOrigins") ?? "")
    .split(/[\s,]+/)
    .filter(Boolean);

/** The same services as the REST routes under /api/apps; every one checks the admin role itself. */
export async function createAppAction(_previous: SecretState, form: FormData): Promise<SecretState> {
  try {
    const user = await requireUser();
    const input = parseWith(createAppSchema, { name: form.get("name") ?? "", allowedOrigins: originsOf(form) });
    const { app, signingKey } = await createApp(user, input);
    revalidatePath("/settings/apps");
    return { ok: true, kind: "signing-key", label: `${app.name}: ${signingKey.kid}`, secret: signingKey.secret, appId: app.id };
  } catch (err) {
    return failure(err, "app creation");
  }
}

export async function updateAppAction(_previous: { ok: boolean; error?: string } | null, form: FormData) {
  try {
    const user = await requireUser();
    const id = parseWith(appIdSchema, form.get("id"));
    const input = parseWith(updateAppSchema, { name: form.get("name") ?? undefined, allowedOrigins: originsOf(form) });
    await updateApp(user, id, input);
    revalidatePath(`/settings/apps/${id}`);
    return { ok: true };
  } catch (err) {
    return failure(err, "app update");
  }
}

export async function addSigningKeyAction(_previous: SecretState, form: FormData): Promise<SecretState> {
  try {
    const user = await requireUser();
    const id = parseWith(appIdSchema, form.get("id"));
    const key = await addSigningKey(user, id);
    revalidatePath(`/settings/apps/${id}`);
    return { ok: true, kind: "signing-key", label: key.kid, secret: key.secret, appId: id };
  } catch (err) {
    return failure(err, "signing key creation");
  }
}

const tokenNameSchema = requiredText(80);

export async function createAppTokenAction(_previous: SecretState, form: FormData): Promise<SecretState> {
  try {
    const user = await requireUser();
    const id = parseWith(appIdSchema, form.get("id"));
    const name = parseWith(tokenNameSchema, form.get("name") ?? "");
    const { token, secret } = await createToken(user, { name, scope: "app", appId: id });
    revalidatePath("/settings/tokens");
    return { ok: true, kind: "app-token", label: token.name, secret, appId: id };
  } catch (err) {
    return failure(err, "app token creation");
  }
}

export const removeSigningKeyAction = userAction(
  "signing key deletion",
  z.object({ appId: appIdSchema, kid: kidSchema }),
  async ({ appId, kid }, user) => {
    await removeSigningKey(user, appId, kid);
    revalidatePath(`/settings/apps/${appId}`);
    return null;
  },
);

export const deleteAppAction = userAction("app deletion", appIdSchema, async (id, user) => {
  await deleteApp(user, id);
  revalidatePath("/settings/apps");
  return null;
});
