import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { requireEnv } from "./env";
import { sleep } from "./resuming-stream";

/**
 * A TCP proxy that can black-hole its connections: data stops flowing both ways but nothing is
 * closed, like a half-open connection after a network failure. While frozen, new connections are
 * refused too, so the other side cannot simply reconnect around it.
 */
export class FreezableProxy {
  private frozen = false;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  static async start(port: number, target: { host: string; port: number }) {
    const proxy: FreezableProxy = new FreezableProxy(
      net.createServer((client) => {
        if (proxy.frozen) return void client.destroy();
        const upstream = net.connect(target.port, target.host);
        for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
          proxy.sockets.add(from);
          from.on("data", (d) => {
            if (!proxy.frozen) to.write(d);
          });
          from.on("close", () => {
            proxy.sockets.delete(from);
            to.destroy();
          });
          from.on("error", () => {});
        }
      }),
    );
    await new Promise<void>((resolve, reject) => proxy.server.once("error", reject).listen(port, "127.0.0.1", resolve));
    return proxy;
  }

  freeze() {
    this.frozen = true;
  }

  thaw() {
    this.frozen = false;
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

/** A second Herald server (server.mjs) of the same build on another port, sharing the database. */
export class SecondInstance {
  private log: string[] = [];

  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => this.log.push(chunk.toString());
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  }

  static async start(port: number, env: Record<string, string>) {
    const server = path.join(process.cwd(), "server.mjs");
    const child = spawn(process.execPath, [server, "--port", String(port), "--hostname", "127.0.0.1"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const instance = new SecondInstance(`http://127.0.0.1:${port}`, child);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`instance B exited: ${instance.log.join("")}`);
      const ok = await fetch(`${instance.url}/api/health`).then((r) => r.ok, () => false);
      if (ok) return instance;
      if (Date.now() > deadline) throw new Error(`instance B did not become healthy: ${instance.log.join("")}`);
      await sleep(200);
    }
  }

  get pid() {
    return this.child.pid!;
  }

  /** The exit code once the process ended (null while it runs, or after a signal it did not handle). */
  get exitCode() {
    return this.child.exitCode;
  }

  /** What the process printed (stdout and stderr). */
  output() {
    return this.log.join("");
  }

  /** SIGTERM without waiting: resolves with the exit code when the process has ended. */
  terminate(): Promise<number | null> {
    const exited = new Promise<number | null>((r) => this.child.once("exit", (code) => r(code)));
    this.child.kill("SIGTERM");
    return exited;
  }

  async health() {
    const res = await fetch(`${this.url}/api/health`);
    return { status: res.status, body: await res.json() };
  }

  /** SIGKILL: the process dies where it stands, as in a crash (no shutdown code runs). */
  async kill() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGKILL");
    await exited;
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGTERM");
    await exited;
  }
}

/**
 * Instance B for the scale-out tests: a second server on HERALD_TEST_PORT_B whose LISTEN connection
 * goes through a FreezableProxy (so a test can make B miss announcements), with a 1-second listener
 * heartbeat and its streams served by the route-handler fallback. `env` adds to that.
 */
export async function startInstanceBehindProxy(env: Record<string, string> = {}) {
  const db = new URL(requireEnv("DATABASE_URL"));
  const proxyPort = Number(process.env.HERALD_TEST_PROXY_PORT);
  const proxy = await FreezableProxy.start(proxyPort, { host: db.hostname, port: Number(db.port || 5432) });
  const listenUrl = new URL(db);
  listenUrl.host = `127.0.0.1:${proxyPort}`;
  const instance = await SecondInstance.start(Number(process.env.HERALD_TEST_PORT_B), {
    DATABASE_LISTEN_URL: listenUrl.toString(),
    HERALD_LISTENER_HEARTBEAT_MS: "1000",
    HERALD_SSE_FAST_PATH: "0",
    ...env,
  });
  return { instance, proxy };
}

/** Polls `probe` (a throw counts as "not yet") every 50 ms until it holds. */
export async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}
