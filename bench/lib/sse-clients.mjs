// Many SSE clients in one process, on plain node:http with a minimal parser: the load generator must
// stay cheap, since it shares the machine's cores with the server it measures.
import http from "node:http";

export const now = () => performance.timeOrigin + performance.now();

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

/**
 * One stream per token. `onEvent(index, type, id, notificationId, t)` is called for every event, where
 * `notificationId` is the `"id"` of a notification.created payload and `t` the arrival time.
 */
export class SseClients {
  constructor({ port, onEvent = () => {} }) {
    this.port = port;
    this.onEvent = onEvent;
    this.requests = [];
    this.lastIds = [];
    this.ready = 0;
  }

  /** Opens one stream per token, `concurrency` at a time; resolves when every one sent `ready`. */
  open(tokens, { concurrency = 200, lastEventIds = [] } = {}) {
    const base = this.requests.length;
    let next = 0;
    let done = 0;
    return new Promise((resolve, reject) => {
      const launch = () => {
        while (next < tokens.length && next - done < concurrency) {
          const i = next++;
          this.connect(base + i, tokens[i], lastEventIds[i], () => {
            if (++done === tokens.length) resolve();
            else launch();
          }, reject);
        }
      };
      if (tokens.length === 0) resolve();
      else launch();
    });
  }

  connect(index, token, lastEventId, onReady, onError) {
    const headers = { cookie: `authjs.session-token=${token}`, accept: "text/event-stream" };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    const req = http.get({ host: "127.0.0.1", port: this.port, path: "/api/notifications/stream", agent, headers }, (res) => {
      if (res.statusCode !== 200) return onError(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding("utf8");
      let buffer = "";
      let isReady = false;
      res.on("data", (chunk) => {
        const t = now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = field(frame, "event: ");
          if (!type) continue;
          const id = field(frame, "id: ");
          if (id) this.lastIds[index] = id;
          let notificationId;
          if (type === "notification.created") {
            const at = frame.indexOf('data: {"id":"') + 13;
            notificationId = frame.slice(at, frame.indexOf('"', at));
          }
          this.onEvent(index, type, id, notificationId, t);
          if (type === "ready" && !isReady) {
            isReady = true;
            this.ready++;
            onReady();
          }
        }
      });
      res.on("error", () => {});
    });
    req.on("error", onError);
    this.requests[index] = req;
  }

  closeAll() {
    for (const req of this.requests) req?.destroy();
    this.requests = [];
    this.ready = 0;
  }
}

function field(frame, name) {
  let start;
  if (frame.startsWith(name)) start = name.length;
  else {
    const at = frame.indexOf(`\n${name}`);
    if (at < 0) return undefined;
    start = at + 1 + name.length;
  }
  const end = frame.indexOf("\n", start);
  return frame.slice(start, end < 0 ? undefined : end);
}
