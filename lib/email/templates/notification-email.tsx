import type { EmailContext, EmailItem } from "../render";
import { Item, Layout } from "./layout";

/** One notification, or the few that came due at the same moment. */
export function NotificationEmail({ items, ctx }: { items: EmailItem[]; ctx: EmailContext }) {
  const heading = items.length > 1 ? `${items.length} new notifications` : undefined;
  return (
    <Layout preview={items.length === 1 ? items[0].body || items[0].title : `${items.length} new notifications`} heading={heading} ctx={ctx}>
      {items.map((item, i) => (
        <Item key={item.id} item={item} ctx={ctx} first={i === 0} />
      ))}
    </Layout>
  );
}
