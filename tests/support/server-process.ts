import { readFileSync, readdirSync } from "node:fs";

/**
 * Resident memory of a server, from /proc: the process (by default the one scripts/test.mjs started,
 * HERALD_TEST_SERVER_PID) and every process below it, since `next start` may serve from a child.
 */
export function serverRssBytes(pid = process.env.HERALD_TEST_SERVER_PID): number {
  const root = Number(pid);
  if (!Number.isInteger(root) || root <= 0) throw new Error("HERALD_TEST_SERVER_PID is not set: run the tests with `npm test`");
  let total = 0;
  for (const pid of tree(root)) {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    if (kb) total += Number(kb[1]) * 1024;
  }
  return total;
}

function tree(pid: number): number[] {
  const out = [pid];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const children = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
    for (const child of children ? children.split(" ") : []) out.push(...tree(Number(child)));
  }
  return out;
}
