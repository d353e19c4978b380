import { render } from "@react-email/render";
import { createElement, type ReactElement } from "react";
import type { NotificationCategory, NotificationPriority } from "@/db/schema";
import { DigestEmail } from "./templates/digest-email";
import { NotificationEmail } from "./templates/notification-email";

/** A notification as an email shows it; `actionUrl` is absolute and already checked (lib/delivery/links.ts). */
export type EmailItem = {
  id: number;
  title: string;
  body: string;
  category: NotificationCategory;
  priority: NotificationPriority;
  createdAt: Date;
  actionUrl: string | null;
  actionLabel: string | null;
  actorName: string | null;
};
export type EmailContext = { recipientName: string; publicUrl: string; unsubscribeUrl: string; timeZone: string };
export type RenderedEmail = { subject: string; html: string; text: string };

/** A header line: no CR/LF (header injection), bounded. */
export function subjectLine(text: string) {
  const flat = text.replace(/[\r\n\t]+/g, " ").replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat || "New notification";
}

async function both(element: ReactElement) {
  // React escapes the text in the HTML; the text part is derived from it, so markup in a
  // notification shows literally in both.
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { html, text };
}

/** One notification (subject: its title) or several due at once ("N new notifications"). */
export async function renderNotificationEmail(items: EmailItem[], ctx: EmailContext): Promise<RenderedEmail> {
  const subject = items.length === 1 ? subjectLine(items[0].title) : `${items.length} new notifications`;
  return { subject, ...(await both(createElement(NotificationEmail, { items, ctx }))) };
}

/** A digest of what is still unread, newest first. */
export async function renderDigestEmail(items: EmailItem[], ctx: EmailContext & { period: "hourly" | "daily" }): Promise<RenderedEmail> {
  const { period, ...rest } = ctx;
  const sorted = [...items].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
  const subject = `${items.length} new notification${items.length === 1 ? "" : "s"}`;
  return { subject, ...(await both(createElement(DigestEmail, { items: sorted, ctx: rest, period }))) };
}
