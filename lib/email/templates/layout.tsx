import { Body, Button, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { CATEGORY_LABELS } from "@/lib/notifications/constants";
import type { EmailContext, EmailItem } from "../render";

const font = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const styles = {
  body: { backgroundColor: "#f4f4f5", fontFamily: font, margin: 0, padding: "24px 0" },
  card: { backgroundColor: "#ffffff", border: "1px solid #e4e4e7", borderRadius: 12, margin: "0 auto", maxWidth: 560, padding: "24px 28px" },
  brand: { color: "#4f46e5", fontSize: 14, fontWeight: 700, letterSpacing: 0.3, margin: "0 0 16px" },
  heading: { color: "#18181b", fontSize: 18, fontWeight: 600, margin: "0 0 16px" },
  meta: { color: "#71717a", fontSize: 12, margin: "0 0 4px" },
  title: { color: "#18181b", fontSize: 16, fontWeight: 600, margin: "0 0 4px" },
  text: { color: "#3f3f46", fontSize: 14, lineHeight: "21px", margin: "0 0 12px", whiteSpace: "pre-wrap" as const },
  button: { backgroundColor: "#4f46e5", borderRadius: 8, color: "#ffffff", fontSize: 14, fontWeight: 600, padding: "9px 16px", textDecoration: "none" },
  item: { borderTop: "1px solid #f4f4f5", padding: "14px 0 4px" },
  footer: { color: "#71717a", fontSize: 12, lineHeight: "18px", margin: "0 0 4px" },
  link: { color: "#4f46e5" },
};

const PRIORITY_WORD = { low: "", normal: "", high: " · High priority", urgent: " · Urgent" } as const;

function when(date: Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** One notification: who and what, its text, and its action as a button. */
export function Item({ item, ctx, first }: { item: EmailItem; ctx: EmailContext; first?: boolean }) {
  const href = item.actionUrl ?? `${ctx.publicUrl}/notifications`;
  return (
    <Section style={first ? { padding: "0 0 4px" } : styles.item}>
      <Text style={styles.meta}>
        {CATEGORY_LABELS[item.category]}
        {PRIORITY_WORD[item.priority]}
        {item.actorName ? ` · from ${item.actorName}` : ""} · {when(item.createdAt, ctx.timeZone)}
      </Text>
      <Text style={styles.title}>{item.title}</Text>
      {item.body ? <Text style={styles.text}>{item.body}</Text> : null}
      <Button href={href} style={styles.button}>
        {item.actionUrl ? item.actionLabel || "Open" : "Open in Herald"}
      </Button>
    </Section>
  );
}

/** The frame of every Herald email: brand, content, and a footer with settings and unsubscribe. */
export function Layout({ preview, heading, ctx, children }: { preview: string; heading?: string; ctx: EmailContext; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.card}>
          <Text style={styles.brand}>Herald</Text>
          {heading ? <Text style={styles.heading}>{heading}</Text> : null}
          {children}
          <Hr style={{ borderColor: "#e4e4e7", margin: "20px 0 12px" }} />
          <Text style={styles.footer}>
            Sent to {ctx.recipientName} because email is on for these notifications.{" "}
            <Link href={`${ctx.publicUrl}/settings/notifications`} style={styles.link}>
              Notification settings
            </Link>{" "}
            ·{" "}
            <Link href={ctx.unsubscribeUrl} style={styles.link}>
              Unsubscribe
            </Link>
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
