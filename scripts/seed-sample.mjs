#!/usr/bin/env node
// `npm run seed:sample [-- --users=20 --notifications=3000 --seed=42]`: sample data for demos and
// the benchmark: the demo users plus more people (password "herald-demo"), direct rooms with
// messages (each with its notification, as the app writes them), and a few thousand varied
// notifications (every category and priority, read / archived / expiring, actors, subjects).
// Deterministic for a given --seed; running it again adds more messages and notifications.
import { hash } from "@node-rs/argon2";
import { DEMO_PASSWORD, DEMO_USERS } from "./lib/setup.mjs";
import { withDatabase } from "./lib/database.mjs";

const arg = (name, fallback) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  const n = found ? Number(found.split("=")[1]) : fallback;
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
};
const USERS = arg("users", 20);
const NOTIFICATIONS = arg("notifications", 3000);

// mulberry32: a tiny seeded PRNG, so two runs with the same --seed produce the same data.
let state = arg("seed", 42) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const chance = (p) => random() < p;
const DAY = 86_400_000;
const ago = (maxDays) => new Date(Date.now() - random() * maxDays * DAY);

const FIRST = ["Ada", "Ben", "Chloé", "Dev", "Emeka", "Fatima", "Giulia", "Hiro", "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe"];
const LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Schmidt", "Haddad", "Costa", "Novak", "Singh", "Walsh"];
const LINES = ["Did you see the latest numbers?", "Can we move our call to 3pm?", "Sent you the draft, have a look when you can.", "Thanks, that fixed it!", "Lunch tomorrow?", "The deploy is green again.", "I left comments on the proposal.", "Running 5 minutes late, sorry.", "Great job on the demo today 🎉", "Could you review my PR before Friday?"];

const TEMPLATES = {
  appointment: [["Meeting moved to {time}", "The weekly sync is now at {time} in room 4B."], ["Reminder: dentist at {time}", "Bring your insurance card."]],
  report: [["Your export is ready", "{month}, {n} rows. Download it before it expires."], ["Weekly analytics report", "Traffic is up {pct}% on last week."]],
  system: [["Scheduled maintenance tonight", "Herald will be read-only from 02:00 to 02:30 UTC."], ["New sign-in from Firefox on Linux", "If this was not you, change your password."]],
  reminder: [["Timesheet due today", "Submit your hours before 18:00."], ["Renew your certificate", "It expires in {n} days."]],
  feedback: [["New review: ★★★★☆", "“Fast delivery, the notifications are instant.”"], ["Survey results are in", "{n} people answered; {pct}% satisfied."]],
  task: [["You were assigned “Fix login redirect”", "Priority bumped by the on-call engineer."], ["Task overdue: Q3 budget", "It was due {n} days ago."]],
  general: [["Welcome to Herald", "This is your notification center: everything arrives here live."], ["Tip: mute categories you do not need", "Open Settings → Notifications."]],
};
const fill = (s) =>
  s.replace("{time}", `${8 + Math.floor(random() * 10)}:${pick(["00", "15", "30", "45"])}`)
    .replace("{month}", pick(["January", "March", "June", "October"]))
    .replace("{n}", String(2 + Math.floor(random() * 1500)))
    .replace("{pct}", String(1 + Math.floor(random() * 60)));

async function seedUsers(sql) {
  const passwordHash = await hash(DEMO_PASSWORD);
  const people = [...DEMO_USERS];
  for (let i = 0; i < USERS; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[Math.floor(i / FIRST.length + i) % LAST.length];
    people.push({ email: `sample-${String(i + 1).padStart(3, "0")}@example.com`, name: `${first} ${last}` });
  }
  // Seeded addresses count as verified (an account someone signed up with is left as it is).
  const rows = people.map((p) => ({ email: p.email, name: p.name, password_hash: passwordHash, email_verified_at: new Date() }));
  await sql`insert into users ${sql(rows, "email", "name", "password_hash", "email_verified_at")} on conflict do nothing`;
  return sql`select id, name from users where lower(email) in ${sql(people.map((p) => p.email.toLowerCase()))} order by email`;
}

async function seedRooms(sql, users) {
  const pairs = new Set();
  // Each demo user talks to several people; everybody else to a couple of others.
  users.forEach((u, i) => {
    const partners = i < DEMO_USERS.length ? 8 : 2;
    for (let k = 0; k < partners; k++) {
      const other = pick(users);
      if (other.id !== u.id) pairs.add([u.id, other.id].sort().join("|"));
    }
  });
  const rows = [...pairs].map((p) => ({ user_a_id: p.split("|")[0], user_b_id: p.split("|")[1] }));
  if (rows.length) await sql`insert into rooms ${sql(rows, "user_a_id", "user_b_id")} on conflict do nothing`;
  return sql`select id, user_a_id, user_b_id from rooms where (user_a_id || '|' || user_b_id) in ${sql([...pairs])}`;
}

/** Messages as the app writes them: each with the recipient's notification, in one transaction. */
async function seedMessages(sql, rooms, nameOf) {
  let count = 0;
  await sql.begin(async (tx) => {
    for (const room of rooms) {
      let at = ago(30).getTime();
      const n = 3 + Math.floor(random() * 12);
      for (let i = 0; i < n; i++, count++) {
        at += random() * 6 * 3_600_000;
        const [sender, recipient] = chance(0.5) ? [room.user_a_id, room.user_b_id] : [room.user_b_id, room.user_a_id];
        const body = pick(LINES);
        const createdAt = new Date(Math.min(at, Date.now()));
        const [m] = await tx`insert into messages (room_id, sender_id, body, created_at) values (${room.id}, ${sender}, ${body}, ${createdAt}) returning id`;
        await tx`
          insert into notifications (user_id, category, title, body, action_url, action_label, actor_id, subject_type, subject_id, metadata, created_at, read_at)
          values (${recipient}, 'message', ${`${nameOf.get(sender)} sent you a message`}, ${body}, ${`/chat/${room.id}`}, 'Reply',
                  ${sender}, 'message', ${String(m.id)}, ${sql.json({ roomId: room.id })}, ${createdAt}, ${chance(0.7) ? createdAt : null})`;
      }
      await tx`update rooms set last_message_at = ${new Date(Math.min(at, Date.now()))} where id = ${room.id}`;
    }
  });
  return count;
}

async function seedNotifications(sql, users) {
  const categories = Object.keys(TEMPLATES);
  const priorities = ["low", "normal", "normal", "normal", "high", "urgent"];
  const rows = [];
  for (let i = 0; i < NOTIFICATIONS; i++) {
    // Half go to the demo users so their inboxes are worth scrolling.
    const user = chance(0.5) ? users[Math.floor(random() * DEMO_USERS.length)] : pick(users);
    const category = pick(categories);
    const [title, body] = pick(TEMPLATES[category]).map(fill);
    const createdAt = ago(120);
    const read = chance(0.45);
    const archived = read && chance(0.25);
    const actor = chance(0.3) ? pick(users) : null;
    rows.push({
      user_id: user.id,
      category,
      priority: pick(priorities),
      title,
      body,
      action_url: chance(0.6) ? `/${category}s/${1000 + i}` : null,
      action_label: null,
      actor_id: actor && actor.id !== user.id ? actor.id : null,
      subject_type: chance(0.5) ? category : null,
      subject_id: null,
      metadata: { sample: true, batch: i % 10 },
      created_at: createdAt,
      read_at: read ? new Date(createdAt.getTime() + random() * DAY) : null,
      archived_at: archived ? new Date(createdAt.getTime() + DAY) : null,
      // A few expire: some already did (hidden, for the cleanup job), some later this week.
      expires_at: chance(0.04) ? new Date(Date.now() + (chance(0.5) ? -1 : 1) * random() * 7 * DAY) : null,
    });
    const last = rows[rows.length - 1];
    if (last.action_url) last.action_label = "Open";
    if (last.subject_type) last.subject_id = String(1000 + i);
  }
  // Ids follow time, as they would have in real life, so the inbox (newest id first) reads naturally.
  rows.sort((a, b) => a.created_at - b.created_at);
  await sql.begin(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((r) => ({ ...r, metadata: tx.json(r.metadata) }));
      await tx`insert into notifications ${tx(chunk, Object.keys(chunk[0]))}`;
    }
  });
  return rows.length;
}

try {
  await withDatabase(async (sql) => {
    const users = await seedUsers(sql);
    const nameOf = new Map(users.map((u) => [u.id, u.name]));
    const rooms = await seedRooms(sql, users);
    const messages = await seedMessages(sql, rooms, nameOf);
    const notifications = await seedNotifications(sql, users);
    console.log(
      `[herald] sample data: ${users.length} users (password "${DEMO_PASSWORD}"), ${rooms.length} rooms, ` +
        `${messages} messages and ${messages + notifications} notifications.`,
    );
  });
} catch (err) {
  console.error("[herald] seeding failed:", err);
  process.exit(1);
}
