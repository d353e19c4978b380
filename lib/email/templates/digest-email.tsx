import type { EmailContext, EmailItem } from "../render";
import { Item, Layout } from "./layout";

/** What is still unread since the last digest, newest first. */
export function DigestEmail({ items, ctx, period }: { items: EmailItem[]; ctx: EmailContext; period: "hourly" | "daily" }) {
  const heading = `${items.length} new notification${items.length === 1 ? "" : "s"} ${period === "hourly" ? "in the last hour" : "today"}`;
  return (
    <Layout preview={items.map((i) => i.title).join(" · ")} heading={heading} ctx={ctx}>
      {items.map((item, i) => (
        <Item key={item.id} item={item} ctx={ctx} first={i === 0} />
      ))}
    </Layout>
  );
}
