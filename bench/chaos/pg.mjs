// The PostgreSQL the chaos scenarios run on.
//
// By default a private, throwaway cluster: initdb into a temp directory, started with pg_ctl on
// a free loopback port, fsync on, trust auth; restarted (immediate stop = a crash) for scenario 2;
// stopped and deleted at the end, on failure and on Ctrl-C too. The machine's shared cluster is
// never touched. Run as root, the binaries run as the `postgres` user (initdb refuses root).
//
// With CHAOS_DATABASE_URL (a server where databases may be created) the scenarios run there
// instead, and CHAOS_PG_RESTART_COMMAND (a shell command that restarts that server and returns
// when it is back or on its way back) drives scenario 2.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { freePort, log, sleep } from "./util.mjs";

/** The newest PostgreSQL bin directory that has initdb and pg_ctl, or null. */
export function findPgBin() {
  const candidates = [];
  if (process.env.CHAOS_PG_BIN === "none") return null; // as on a machine without PostgreSQL
  if (process.env.CHAOS_PG_BIN) candidates.push(process.env.CHAOS_PG_BIN);
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(root, v, "bin"));
  }
  return candidates.find((dir) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) ?? null;
}

function run(argv, { cwd, asUser }) {
  // Own session (detached): a Ctrl-C to the harness must not reach the postmaster before our cleanup does.
  const full = asUser ? ["runuser", "-u", asUser, "--", ...argv] : argv;
  return new Promise((resolve, reject) => {
    const child = spawn(full[0], full.slice(1), { cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${argv.map((a) => path.basename(a)).slice(0, 2).join(" ")} exited ${code}: ${output.trim()}`))));
  });
}

/** Polls until the server answers a query (or the deadline passes). Returns the time it answered. */
export async function waitForPostgres(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return Date.now();
    } catch (error) {
      last = error;
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
    await sleep(100);
  }
  throw new Error(`PostgreSQL at ${url.replace(/\/\/[^@]*@/, "//")} did not answer within ${timeoutMs} ms: ${last?.message}`);
}

/**
 * Starts a private cluster. Returns { url, restart(downMs), stop(), stopSync(), describe }.
 * `url` points at the `postgres` database of the cluster.
 */
export async function startPrivateCluster(bin) {
  const root = mkdtempSync(path.join(tmpdir(), "postline-chaos-pg-"));
  const asUser = process.getuid?.() === 0 ? "postgres" : null;
  if (asUser) {
    const uid = Number(execFileSync("id", ["-u", asUser]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", asUser]).toString().trim());
    chownSync(root, uid, gid);
  }
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "postgres.log");
  const port = await freePort(55432, 55499);
  const options = [
    `-p ${port}`,
    `-k ${root}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=on",
    "-c synchronous_commit=on",
    "-c full_page_writes=on",
    "-c max_connections=200",
    "-c shared_buffers=64MB",
  ].join(" ");
  const pgCtl = path.join(bin, "pg_ctl");
  const cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    root,
    describe: `private PostgreSQL (${path.basename(path.dirname(bin))}) on 127.0.0.1:${port}, data in ${dataDir}, fsync=on`,
    running: false,
    canRestart: true,
    restartLabel: (cfg) => `pg_ctl stop -m ${cfg.pgStopMode}, down ${cfg.pgDownSeconds} s, pg_ctl start`,
    async start() {
      await run([pgCtl, "-D", dataDir, "-o", options, "-l", logFile, "-w", "-t", "60", "start"], { cwd: root, asUser });
      this.running = true;
    },
    /** Stops the server (immediate = as a crash: no checkpoint, recovery from the WAL at start). */
    async stopServer(mode = "immediate") {
      await run([pgCtl, "-D", dataDir, "-m", mode, "-w", "-t", "60", "stop"], { cwd: root, asUser });
      this.running = false;
    },
    /** The restart scenario 2 needs: stop (`mode`), stay down `downMs`, start; resolves when it answers. */
    async restart(downMs, mode = "immediate") {
      const stopAt = Date.now();
      await this.stopServer(mode);
      const downAt = Date.now();
      await sleep(downMs);
      await this.start();
      const upAt = await waitForPostgres(this.url);
      return { stopAt, downAt, upAt };
    },
    logTail(lines = 20) {
      try {
        return readFileSync(logFile, "utf8").trim().split("\n").slice(-lines).join("\n");
      } catch {
        return "";
      }
    },
    /** Stops and deletes the cluster. Synchronous, so that it also runs from an exit handler. */
    stopSync() {
      if (existsSync(path.join(dataDir, "postmaster.pid"))) {
        const argv = [pgCtl, "-D", dataDir, "-m", "immediate", "-w", "-t", "30", "stop"];
        const full = asUser ? ["runuser", "-u", asUser, "--", ...argv] : argv;
        spawnSync(full[0], full.slice(1), { cwd: root, stdio: "ignore" });
      }
      this.running = false;
      rmSync(root, { recursive: true, force: true });
    },
  };
  await run([path.join(bin, "initdb"), "-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], { cwd: root, asUser });
  await cluster.start();
  await waitForPostgres(cluster.url);
  return cluster;
}

/** A server the caller gave (CHAOS_DATABASE_URL), restarted by CHAOS_PG_RESTART_COMMAND. */
export function externalServer(url, restartCommand) {
  return {
    url,
    describe: `CHAOS_DATABASE_URL (${url.replace(/\/\/[^@]*@/, "//")})${restartCommand ? `, restarted by CHAOS_PG_RESTART_COMMAND` : ""}`,
    canRestart: Boolean(restartCommand),
    restartLabel: () => `CHAOS_PG_RESTART_COMMAND`,
    async restart() {
      const stopAt = Date.now();
      await run(["sh", "-c", restartCommand], { cwd: process.cwd(), asUser: null });
      const downAt = stopAt;
      const upAt = await waitForPostgres(url, 120_000);
      return { stopAt, downAt, upAt };
    },
    logTail: () => "",
    stopSync() {},
  };
}
