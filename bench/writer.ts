// Bench writer: creates notifications through the app's own service (lib/notifications/service.ts:
// one prepared statement, its own transaction, as a chat message is), in a child process of
// bench/run.mjs. Run with `--conditions=react-server --import tsx` so "@/..." paths and the
// "server-only" marker resolve.
//   {mode: "max", writers, seconds, users}        as fast as `writers` concurrent loops can go
//   {mode: "paced", rate, seconds, users}         `rate` per second, each write timed at its commit
import { db } from "@/db";
import { notify } from "@/lib/notifications/service";

type Command = { mode: "max" | "paced"; writers?: number; rate?: number; seconds: number; users: string[] };

const now = () => performance.timeOrigin + performance.now();
const pick = (users: string[]) => users[(Math.random() * users.length) | 0];

async function write(userId: string, i: number) {
  const dto = await notify(db, { userId, category: "system", title: `bench ${i}` });
  return dto.id;
}

async function max({ writers = 8, seconds, users }: Command) {
  const end = now() + seconds * 1000;
  let count = 0;
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (now() < end) ids.push(await write(pick(users), count++));
    }),
  );
  return { count: ids.length, ids, commits: [] as [string, number][] };
}

/** Starts writes on a fixed schedule (not back to back), so latency is measured at a known rate. */
async function paced({ rate = 1000, seconds, users }: Command) {
  const total = Math.round(rate * seconds);
  const start = now();
  const commits: [string, number][] = [];
  const inflight = new Set<Promise<void>>();
  let behind = 0;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -50) behind++;
    const p: Promise<void> = write(pick(users), i).then((id) => void commits.push([id, now()]));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    if (inflight.size >= 64) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  return { count: commits.length, ids: commits.map((c) => c[0]), commits, behind, seconds: (now() - start) / 1000 };
}

process.on("message", async (cmd: Command) => {
  try {
    const result = cmd.mode === "paced" ? await paced(cmd) : await max(cmd);
    process.send!({ ok: true, ...result });
  } catch (err) {
    process.send!({ ok: false, error: String(err) });
  }
});
process.send!({ ready: true });
