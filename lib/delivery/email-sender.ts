import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

export type OutgoingEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
};

/** What a send came to: accepted, worth trying again (4xx, network), or refused for good (5xx). */
export type SendResult = { ok: true } | { ok: false; permanent: boolean; reason: string };

const g = globalThis as unknown as { __heraldMailer?: { url: string; transport: Transporter } };

function transport(url: string, timeoutSeconds: number) {
  if (g.__heraldMailer?.url !== url) {
    // Every timeout well inside the delivery lease, so a slow server never outlives the claim.
    const ms = Math.max(1000, Math.floor((timeoutSeconds * 1000) / 3));
    g.__heraldMailer = { url, transport: nodemailer.createTransport(url, { connectionTimeout: ms, greetingTimeout: ms, socketTimeout: ms }) };
  }
  return g.__heraldMailer.transport;
}

/** Addresses never leave in a reason (they end up in logs and on the demo page). */
const redact = (s: string) => s.replace(/[^\s<>@"]+@[^\s<>@"]+/g, "<address>").slice(0, 300);

export async function sendEmail(email: OutgoingEmail): Promise<SendResult> {
  const { SMTP_URL, EMAIL_FROM, HERALD_DELIVERY_TIMEOUT_S } = env();
  if (!SMTP_URL) return { ok: false, permanent: true, reason: "email is not set up on this server (SMTP_URL)" };
  try {
    await transport(SMTP_URL, HERALD_DELIVERY_TIMEOUT_S).sendMail({
      from: EMAIL_FROM,
      to: email.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId: email.messageId,
      headers: email.headers,
    });
    return { ok: true };
  } catch (err) {
    const e = err as { responseCode?: number; code?: string; message?: string };
    const code = e.responseCode;
    const reason = redact(code ? `SMTP ${code}: ${e.message ?? ""}` : `${e.code ?? "error"}: ${e.message ?? ""}`);
    return { ok: false, permanent: code !== undefined && code >= 500 && e.code !== "EAUTH", reason };
  }
}
