// Polling clients, the way older notification apps work: every client GETs its list every 2 s.
import http from "node:http";
import { now } from "./sse-clients.mjs";

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function get(port, token) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: "127.0.0.1", port, path: "/api/notifications?limit=20", agent, headers: { cookie: `authjs.session-token=${token}` } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`poll answered ${res.statusCode}`))));
      },
    );
    req.on("error", reject);
  });
}

export class Pollers {
  constructor({ port, tokens, everyMs }) {
    Object.assign(this, { port, tokens, everyMs });
    this.seen = new Map(); // notification id -> first time a poll returned it
    this.durations = [];
    this.polls = 0;
    this.stopped = false;
  }

  start() {
    for (const token of this.tokens) void this.loop(token);
  }

  async loop(token) {
    // Random phase, like clients that opened the page at different moments.
    await new Promise((r) => setTimeout(r, Math.random() * this.everyMs));
    while (!this.stopped) {
      const started = now();
      try {
        const page = await get(this.port, token);
        const t = now();
        this.polls++;
        this.durations.push(t - started);
        for (const item of page.items) if (!this.seen.has(item.id)) this.seen.set(item.id, t);
      } catch {}
      const wait = started + this.everyMs - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  stop() {
    this.stopped = true;
    agent.destroy();
  }
}
