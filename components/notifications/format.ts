const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];
const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });

/** "just now", "2 min. ago", "yesterday"… */
export function relativeTime(iso: string, now = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === "minute") return rtf.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

const fullFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
export const fullTime = (iso: string) => fullFormat.format(new Date(iso));

/** "Expires in 4m 05s" under an hour, then "Expires in 3h 10m", "Expires in 2d". */
export function expiryText(iso: string, now = Date.now()) {
  const s = Math.ceil((new Date(iso).getTime() - now) / 1000);
  if (s <= 0) return "Expired";
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `Expires in ${s}s`;
  if (s < 3600) return `Expires in ${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86400) return `Expires in ${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `Expires in ${Math.floor(s / 86400)}d`;
}

export const badgeText = (count: number) => (count > 99 ? "99+" : String(count));

export { preview } from "@/lib/text/preview";

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Bob Chen", "Bob Chen and Ana Ruiz", "Bob Chen, Ana Ruiz and Li Wei". */
export function namesText(names: string[]) {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

type Grouped = { title: string; category: string; group: { count: number; actors: { name: string }[] } | null };

/** A group's item headline: "Bob Chen sent you 5 messages"; a lone member keeps its own title. */
export function groupHeadline(n: Grouped) {
  if (!n.group || n.group.count < 2) return n.title;
  const who = namesText(n.group.actors.map((a) => a.name));
  if (n.category === "message" && who) return `${who} sent you ${n.group.count} messages`;
  return `${n.title} (+${plural(n.group.count - 1, "more", "more")})`;
}

/** The toast for a group's newest member: "3 new messages from Bob Chen". */
export function groupToastTitle(n: Grouped) {
  if (!n.group || n.group.count < 2) return n.title;
  const who = namesText(n.group.actors.map((a) => a.name));
  if (n.category === "message" && who) return `${n.group.count} new messages from ${who}`;
  return `${n.group.count} new: ${n.title}`;
}
