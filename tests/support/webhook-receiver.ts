import http from "node:http";
import type { AddressInfo } from "node:net";
import { until } from "./second-instance";

export type Received = { headers: Record<string, string>; body: string; json: { type: string; timestamp: string; data: any } };
export type ReplyFn = (r: Received, n: number) => Reply;
export type Reply = { status: number; body?: string; headers?: Record<string, string> } | "hang";

/** A local endpoint on a free port that records what it is sent; `reply` decides each answer (n counts from 1). */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private hanging: http.ServerResponse[] = [];

  private constructor(
    private readonly server: http.Server,
    public reply: (r: Received, n: number) => Reply,
  ) {}

  static async start(reply: (r: Received, n: number) => Reply = () => ({ status: 204 })) {
    let receiver!: WebhookReceiver;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const r: Received = { headers: req.headers as Record<string, string>, body, json: JSON.parse(body) };
        receiver.received.push(r);
        const answer = receiver.reply(r, receiver.received.length);
        if (answer === "hang") return void receiver.hanging.push(res);
        res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
      });
    });
    receiver = new WebhookReceiver(server, reply);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  get url() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  ofType(type: string) {
    return this.received.filter((r) => r.json.type === type);
  }

  async waitFor(what: string, probe: (received: Received[]) => boolean, timeoutMs = 20_000) {
    await until(async () => probe(this.received), what, timeoutMs);
  }

  async close() {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
