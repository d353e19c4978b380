import net from "node:net";

/**
 * A small TCP load balancer in front of several instances: each connection goes to the first
 * upstream that accepts it, and to the next one when that one refuses (stopped, or not listening
 * yet), as a proxy with health checks would. Bytes flow through untouched (SSE included), and a
 * connection ends when its instance ends it.
 */
export class Balancer {
  /** The upstream port each connection went to, in order. */
  readonly connections: number[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  static async start(port: number, upstreams: number[]) {
    const balancer: Balancer = new Balancer(net.createServer((client) => balancer.route(client, upstreams, 0)));
    await new Promise<void>((resolve, reject) => balancer.server.once("error", reject).listen(port, "127.0.0.1", resolve));
    return balancer;
  }

  private route(client: net.Socket, upstreams: number[], index: number) {
    if (index >= upstreams.length) return void client.destroy();
    client.pause();
    client.on("error", () => {});
    const upstream = net.connect(upstreams[index], "127.0.0.1");
    upstream.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNREFUSED") this.route(client, upstreams, index + 1);
      else client.destroy();
    });
    upstream.once("connect", () => {
      this.connections.push(upstreams[index]);
      upstream.on("error", () => {});
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.once("close", () => this.sockets.delete(s));
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.once("close", () => upstream.destroy());
      upstream.once("close", () => client.destroy());
      client.resume();
    });
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}
