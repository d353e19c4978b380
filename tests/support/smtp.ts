import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerDataStream } from "smtp-server";

type Behaviour = { kind: "fail"; code: number; times: number } | { kind: "stall" };

/**
 * A real SMTP server for the delivery tests. It accepts every message unless told to answer the
 * next ones with an error (`failNext`, e.g. 421 twice) or to stall on the next one (`stallNext`):
 * it reads the whole message and then never answers, as a server does when the sender dies
 * mid-send; a message whose answer never went out is not delivered (SMTP's rule: accepted means
 * "250" was sent).
 */
export class TestSmtp {
  readonly messages: ParsedMail[] = [];
  /** Every DATA the server saw, answered or not. */
  attempts = 0;
  private behaviours: Behaviour[] = [];
  private stalled: (() => void)[] = [];
  private stallWaiters: (() => void)[] = [];

  private constructor(private readonly server: SMTPServer, readonly port: number) {}

  static async start(port: number) {
    let self: TestSmtp | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _session, callback) {
        void self!.receive(stream, callback);
      },
    });
    self = new TestSmtp(server, port);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    server.on("error", () => {});
    return self;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  failNext(times: number, code = 421) {
    this.behaviours.push({ kind: "fail", code, times });
  }

  stallNext() {
    this.behaviours.push({ kind: "stall" });
  }

  /** Resolves once a message is being held by `stallNext`. */
  whenStalled() {
    return this.stalled.length > 0 ? Promise.resolve() : new Promise<void>((r) => this.stallWaiters.push(r));
  }

  to(address: string) {
    return this.messages.filter((m) => [m.to].flat().some((t) => t?.value.some((v) => v.address === address)));
  }

  private async receive(stream: SMTPServerDataStream, callback: (err?: Error | null) => void) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    this.attempts++;
    const behaviour = this.behaviours[0];
    if (behaviour?.kind === "fail") {
      if (--behaviour.times <= 0) this.behaviours.shift();
      const err = Object.assign(new Error("Try again later"), { responseCode: behaviour.code });
      return callback(err);
    }
    if (behaviour?.kind === "stall") {
      this.behaviours.shift();
      this.stalled.push(() => callback(new Error("closing")));
      for (const w of this.stallWaiters.splice(0)) w();
      return; // never answered: the message is not accepted
    }
    this.messages.push(await simpleParser(Buffer.concat(chunks)));
    callback();
  }

  async close() {
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
