// The local mail catcher `npm start` runs when there is no SMTP_URL: a real SMTP server on
// 127.0.0.1 that keeps each message it accepts as a .eml file, shown at /dev/mail.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";

const KEEP = 500;
const MAX_BYTES = 10 * 1024 * 1024;

export async function startMailCatcher({ port, dir }) {
  mkdirSync(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    size: MAX_BYTES,
    logger: false,
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("end", () => {
        if (stream.sizeExceeded) return callback(Object.assign(new Error("Message too large"), { responseCode: 552 }));
        const name = `${Date.now()}-${randomBytes(4).toString("hex")}.eml`;
        // Written under a temporary name and renamed, so /dev/mail never reads half a message.
        writeFileSync(path.join(dir, `.${name}.tmp`), Buffer.concat(chunks));
        renameSync(path.join(dir, `.${name}.tmp`), path.join(dir, name));
        const all = readdirSync(dir).filter((f) => f.endsWith(".eml")).sort();
        for (const old of all.slice(0, Math.max(0, all.length - KEEP))) rmSync(path.join(dir, old), { force: true });
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once("error", (err) =>
      reject(err.code === "EADDRINUSE" ? new Error(`HERALD_MAIL_CATCHER_PORT ${port} is in use; set another (or SMTP_URL)`) : err),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
  server.on("error", () => {});
  return { url: `smtp://127.0.0.1:${port}`, dir, close: () => new Promise((r) => server.close(r)) };
}
