// npm run chaos: the reliability harness. Drives the product's production build (embedded
// dispatcher, real PostgreSQL) through four faults and checks the durability rule end to end:
//
//   1. the app SIGKILLed during an ingest load and started again;
//   2. PostgreSQL restarted (a crash stop) during an ingest load, the app left running: nothing
//      acknowledged lost, and 25 s later the app serves the same load as before (steady state);
//   3. the tracker down for two minutes, then back: everything delivered, on the retry schedule;
//   4. 1,000 identical postbacks at once: one conversion, one delivery, one tracker receipt.
//
// Each postback carries its own txid and the harness records which ones got a 2xx, so
// "acknowledged but not stored" and "stored but never delivered" are counted exactly. Loopback
// only (ports 3500-3539 for the app and the tracker, 55432-55499 for the private PostgreSQL),
// bounded in requests and time, stops by itself and leaves nothing running.
//
// Settings (environment):
//   CHAOS_QUICK=1                 a smoke run: tracker down 10 s, fewer requests, shorter loads
//   CHAOS_SCENARIOS=1,2,3,4       which scenarios to run
//   CHAOS_TRACKER_DOWN_SECONDS    the tracker's outage in scenario 3 (default 120)
//   CHAOS_TRACKER_LOAD_SECONDS    postbacks are sent during the first part of it (default 30)
//   CHAOS_RETRY_SCHEDULE          DELIVERY_RETRY_SCHEDULE for scenario 3 (default 0,5s,30s,1m,1m,2m)
//   CHAOS_IDENTICAL               identical postbacks in scenario 4 (default 1000)
//   CHAOS_CONCURRENCY             concurrent postbacks in scenarios 1 and 2 (default 32)
//   CHAOS_LOAD_SECONDS            load before the fault in scenarios 1 and 2 (default 8)
//   CHAOS_LOAD_AFTER_SECONDS      load after the app is back in scenario 1 (default 8)
//   CHAOS_PG_DOWN_SECONDS         how long PostgreSQL stays down in scenario 2 (default 5)
//   CHAOS_PG_AFTER_SECONDS        load after PostgreSQL is back (default 15)
//   CHAOS_PG_RESTARTS             restarts in a row in scenario 2 (default 1), CHAOS_PG_BETWEEN_SECONDS apart (8)
//   CHAOS_PG_STOP_MODE            pg_ctl stop mode: immediate (a crash, default) | fast
//   CHAOS_PG_STEADY_AFTER_SECONDS the steady-state load starts this long after PostgreSQL is back (25)
//   CHAOS_PG_STEADY_SECONDS       and runs this long (default 10); every postback must be
//   CHAOS_PG_STEADY_MAX_SECONDS   acknowledged within this many seconds (default 5)
//   CHAOS_DATABASE_URL            run on this server instead of a private cluster (databases are
//                                 created and dropped there); with CHAOS_PG_RESTART_COMMAND (a
//                                 shell command that restarts it) scenario 2 runs there too
//   CHAOS_PG_BIN                  where initdb and pg_ctl are (default: newest /usr/lib/postgresql/*/bin;
//                                 "none": behave as if there were none)
//   CHAOS_STRICT=1                a skipped scenario fails the run
//   CHAOS_BUILD=1                 build even when .next/BUILD_ID exists
//   CHAOS_RESULTS_FILE=path       append the summary (markdown) to this file
//   CHAOS_SWEEP_INTERVAL_MS, CHAOS_SWEEP_GRACE_MS, CHAOS_DELIVERY_TIMEOUT_MS
//                                 the app's sweeper and request timeout (default 2000, 3000, 5000)
//   CHAOS_SCHEDULE_EARLY_MS, CHAOS_SCHEDULE_LATE_MS
//                                 scenario 3's tolerance around each scheduled delay (2000, 5000)
//   CHAOS_DRAIN_SECONDS           how long scenarios 1 and 2 wait for the outbox to drain (150)
//   CHAOS_MAX_REQUESTS            a cap per load (20000); CHAOS_MAX_MINUTES: the whole run (25)
//   CHAOS_KEEP_LOGS=1             keep the app logs (kept anyway when a check fails)
//   CHAOS_REQUEST_TIMEOUT_SECONDS a postback with no answer by then counts as a timeout (default 30)
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { appEnvironment, killAllApps, newClick, startApp } from "./chaos/app.mjs";
import { externalServer, findPgBin, startPrivateCluster } from "./chaos/pg.mjs";
import { countsLine, scenarioIdentical, scenarioKill, scenarioPgRestart, scenarioTrackerDown } from "./chaos/scenarios.mjs";
import { startTracker } from "./chaos/tracker.mjs";
import { envNumber, freePort, log, parseSchedule } from "./chaos/util.mjs";

process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));

const QUICK = process.env.CHAOS_QUICK === "1";
const scheduleText = process.env.CHAOS_RETRY_SCHEDULE || "0,5s,30s,1m,1m,2m";
const trackerDownSeconds = envNumber("CHAOS_TRACKER_DOWN_SECONDS", QUICK ? 10 : 120);
const cfg = {
  scenarios: (process.env.CHAOS_SCENARIOS || "1,2,3,4").split(",").map((s) => s.trim()),
  concurrency: envNumber("CHAOS_CONCURRENCY", QUICK ? 16 : 32),
  loadSeconds: envNumber("CHAOS_LOAD_SECONDS", QUICK ? 4 : 8),
  loadAfterSeconds: envNumber("CHAOS_LOAD_AFTER_SECONDS", QUICK ? 4 : 8),
  maxRequests: envNumber("CHAOS_MAX_REQUESTS", 20_000),
  drainSeconds: envNumber("CHAOS_DRAIN_SECONDS", 150),
  pgDownSeconds: envNumber("CHAOS_PG_DOWN_SECONDS", QUICK ? 3 : 5),
  pgAfterSeconds: envNumber("CHAOS_PG_AFTER_SECONDS", QUICK ? 8 : 15),
  pgStopMode: process.env.CHAOS_PG_STOP_MODE || "immediate",
  pgRecoveryGraceSeconds: envNumber("CHAOS_PG_RECOVERY_GRACE_SECONDS", 5),
  probeCount: 20,
  pgRestarts: envNumber("CHAOS_PG_RESTARTS", 1),
  pgBetweenSeconds: envNumber("CHAOS_PG_BETWEEN_SECONDS", 8),
  pgSteadyAfterSeconds: envNumber("CHAOS_PG_STEADY_AFTER_SECONDS", 25),
  pgSteadySeconds: envNumber("CHAOS_PG_STEADY_SECONDS", QUICK ? 5 : 10),
  pgSteadyMaxMs: envNumber("CHAOS_PG_STEADY_MAX_SECONDS", 5) * 1000,
  trackerDownSeconds,
  trackerLoadSeconds: envNumber("CHAOS_TRACKER_LOAD_SECONDS", Math.min(30, Math.max(1, Math.floor(trackerDownSeconds / 2)))),
  trackerConcurrency: 4,
  trackerPauseMs: 250,
  scheduleText,
  schedule: parseSchedule(scheduleText),
  scheduleEarlyMs: envNumber("CHAOS_SCHEDULE_EARLY_MS", 2000),
  scheduleLateMs: envNumber("CHAOS_SCHEDULE_LATE_MS", 5000),
  scheduleEdgeMs: 500,
  identical: envNumber("CHAOS_IDENTICAL", QUICK ? 200 : 1000),
  settleSeconds: 5,
  maxMinutes: envNumber("CHAOS_MAX_MINUTES", 25),
  requestTimeoutMs: envNumber("CHAOS_REQUEST_TIMEOUT_SECONDS", 30) * 1000,
  slowAnswerMs: 10_000,
  // The app gives up on a connection attempt after 10 s (503) and makes the next one at most a
  // second after a failed one (db/client.ts): no postback may be held longer across an outage.
  heldMaxMs: 12_000,
};
// The app's dispatch settings for every chaos run: a sweeper every 2 s that re-wakes deliveries
// 3 s overdue (instead of 60 s / 60 s), so deliveries orphaned by a kill are picked up quickly; a
// 5 s request timeout, so an attempt's claim (timeout + 30 s) lapses in 35 s.
const dispatchEnv = {
  DELIVERY_SWEEP_INTERVAL_MS: process.env.CHAOS_SWEEP_INTERVAL_MS || "2000",
  DELIVERY_SWEEP_GRACE_MS: process.env.CHAOS_SWEEP_GRACE_MS || "3000",
  DELIVERY_TIMEOUT_MS: process.env.CHAOS_DELIVERY_TIMEOUT_MS || "5000",
};

const NAMES = {
  1: "app SIGKILLed during ingest load, then started again",
  2: `PostgreSQL restarted${cfg.pgRestarts > 1 ? ` ${cfg.pgRestarts} times` : ""} during ingest load (app not restarted)`,
  3: `tracker down for ${trackerDownSeconds} s, then back`,
  4: `${cfg.identical} identical postbacks at once`,
};

const logsDir = mkdtempSync(path.join(os.tmpdir(), "postline-chaos-logs-"));
let cluster = null;
let cleanedUp = false;
let keepLogs = process.env.CHAOS_KEEP_LOGS === "1";
function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  killAllApps();
  try {
    cluster?.stopSync();
  } catch (error) {
    console.error(`[chaos] could not remove the private PostgreSQL cluster at ${cluster?.root}: ${error.message}`);
  }
  if (!keepLogs) rmSync(logsDir, { recursive: true, force: true });
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    process.stdout.write(`\n[chaos] ${signal}: stopping the app processes and the private PostgreSQL\n`);
    cleanup();
    process.exit(130);
  });
}
const overall = setTimeout(() => {
  process.stdout.write(`\n[chaos] FAILED: over the time limit of ${cfg.maxMinutes} minutes (CHAOS_MAX_MINUTES)\n`);
  keepLogs = true;
  cleanup();
  process.exit(1);
}, cfg.maxMinutes * 60_000);
overall.unref();

function build() {
  if (existsSync(".next/BUILD_ID") && process.env.CHAOS_BUILD !== "1") {
    log("reusing the production build in .next (CHAOS_BUILD=1 rebuilds)");
    return;
  }
  log("building the product (next build)");
  const built = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (built.status !== 0) throw new Error("next build failed");
}

/** The database servers: `main` for every scenario; `restartable` for scenario 2 (or null). */
async function databaseServers() {
  const external = process.env.CHAOS_DATABASE_URL;
  if (external) {
    const server = externalServer(external, process.env.CHAOS_PG_RESTART_COMMAND);
    if (server.canRestart) return { main: server, restartable: server, skip2: null };
    const bin = findPgBin();
    if (bin) {
      cluster = await startPrivateCluster(bin);
      return { main: server, restartable: cluster, skip2: null };
    }
    return { main: server, restartable: null, skip2: "CHAOS_DATABASE_URL is set without CHAOS_PG_RESTART_COMMAND, and there are no PostgreSQL binaries for a private cluster" };
  }
  const bin = findPgBin();
  if (bin) {
    cluster = await startPrivateCluster(bin);
    return { main: cluster, restartable: cluster, skip2: null };
  }
  // No binaries: scenarios 1, 3 and 4 can run on a server we are given, never restarted.
  const url = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  return {
    main: externalServer(url, null),
    restartable: null,
    skip2: `no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or CHAOS_PG_BIN, so no private cluster to restart (install postgresql, or set CHAOS_DATABASE_URL and CHAOS_PG_RESTART_COMMAND); scenarios 1, 3 and 4 run on ${url.replace(/\/\/[^@]*@/, "//")}`,
  };
}

async function freshDatabase(serverUrl, label) {
  const name = `postline_chaos_${label}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await again.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await again.end({ timeout: 2 });
      }
    },
  };
}

/** A fresh database, a tracker, the app started on it, the benchmark's setup SQL, one click. */
async function prepare(label, server, extraEnv = {}) {
  const db = await freshDatabase(server.url, label);
  const tracker = await startTracker(await freePort(3520, 3539));
  const port = await freePort(3500, 3519);
  const env = appEnvironment(db.url, { ...dispatchEnv, ...extraEnv });
  const logFile = path.join(logsDir, `app-${label}.log`);
  const app = startApp({ port, env, logFile, label: `app (${label})` });
  const ctx = { db, tracker, app, env, logFile, sql: null, clickId: null, run: randomBytes(3).toString("hex") };
  try {
    const upAt = Date.now();
    await app.ready();
    log(`app up on ${app.base} in ${((Date.now() - upAt) / 1000).toFixed(1)} s (database ${db.name}, tracker ${tracker.url}, log ${logFile})`);
    ctx.sql = postgres(db.url, { max: 2, onnotice: () => {} });
    // The benchmark's setup (bench/run.mjs): several conversions per click (each txid its own),
    // no rate limit in the way, the affiliate's postback pointed at our tracker.
    await ctx.sql`update offers set allow_multiple_conversions = true`;
    await ctx.sql`update incoming_endpoints set rate_limit_per_minute = 100000000`;
    await ctx.sql`update outgoing_postbacks set url_template = ${`${tracker.url}/pb?cid={click_id}&s={status}&tid={txid}`}`;
    ctx.clickId = await newClick(app.base);
  } catch (error) {
    await teardown(ctx);
    throw error;
  }
  return ctx;
}

async function teardown(ctx) {
  await ctx.app?.kill("SIGKILL");
  await ctx.tracker?.close().catch(() => {});
  await ctx.sql?.end({ timeout: 2 }).catch(() => {});
  await ctx.db?.drop().catch((error) => log(`could not drop ${ctx.db.name}: ${error.message}`));
}

/** Uncaught exceptions and unhandled rejections in an app log: how many, and the first one's message. */
function appLogProblems(logFile) {
  let text = "";
  try {
    text = readFileSync(logFile, "utf8");
  } catch {
    return { count: 0 };
  }
  const lines = text.split("\n");
  const hits = lines.map((line, i) => [line, i]).filter(([line]) => /uncaughtException|unhandledRejection/.test(line));
  if (!hits.length) return { count: 0 };
  const [line, i] = hits[0];
  const where = lines[i + 1]?.trim().startsWith("at ") ? ` ${lines[i + 1].trim()}` : "";
  return { count: hits.length, sample: `"${line.trim()}${where}"` };
}

async function main() {
  const startedAt = Date.now();
  process.stdout.write(`Postline chaos harness — ${new Date().toISOString()}${QUICK ? " — QUICK MODE (smoke run, not the full issue)" : ""}\n`);
  build();
  const servers = await databaseServers();
  log(`database: ${servers.main.describe}`);
  if (servers.restartable && servers.restartable !== servers.main) log(`scenario 2 database: ${servers.restartable.describe}`);
  log(`app dispatch settings for every scenario: DELIVERY_SWEEP_INTERVAL_MS=${dispatchEnv.DELIVERY_SWEEP_INTERVAL_MS}, DELIVERY_SWEEP_GRACE_MS=${dispatchEnv.DELIVERY_SWEEP_GRACE_MS} (the sweeper re-wakes deliveries orphaned by a kill within seconds, not minutes), DELIVERY_TIMEOUT_MS=${dispatchEnv.DELIVERY_TIMEOUT_MS} (a claimed attempt's lease: ${(Number(dispatchEnv.DELIVERY_TIMEOUT_MS) + 30_000) / 1000} s), POSTLINE_DISPATCH=local`);
  const span = cfg.schedule.slice(1).reduce((a, b) => a + b, 0);
  if (cfg.scenarios.includes("3") && span < trackerDownSeconds * 1000) {
    log(`WARNING: the retry schedule ${scheduleText} gives up after ${span / 1000} s, less than the ${trackerDownSeconds} s outage: scenario 3 will lose deliveries by configuration`);
  }

  const results = [];
  for (const id of ["1", "2", "3", "4"]) {
    if (!cfg.scenarios.includes(id)) continue;
    process.stdout.write(`\n=== Scenario ${id}: ${NAMES[id]} ===\n`);
    const started = Date.now();
    if (id === "2" && !servers.restartable) {
      process.stdout.write(`    SKIPPED — ${servers.skip2}\n`);
      results.push({ id, skipped: servers.skip2, seconds: 0 });
      continue;
    }
    const server = id === "2" ? servers.restartable : servers.main;
    const extraEnv = id === "3" ? { DELIVERY_RETRY_SCHEDULE: scheduleText } : {};
    let ctx = null;
    try {
      ctx = await prepare(`s${id}`, server, extraEnv);
      const outcome =
        id === "1" ? await scenarioKill(ctx, cfg) : id === "2" ? await scenarioPgRestart(ctx, cfg, server) : id === "3" ? await scenarioTrackerDown(ctx, cfg) : await scenarioIdentical(ctx, cfg);
      const crashes = appLogProblems(ctx.logFile);
      if (crashes.count) {
        outcome.notes.push(`app log: ${crashes.count} uncaught exception(s)/unhandled rejection(s), e.g. ${crashes.sample}`);
        process.stdout.write(`    · WARNING: the app logged ${crashes.count} uncaught exception(s)/unhandled rejection(s) (it kept running), e.g.: ${crashes.sample}\n`);
      }
      process.stdout.write(`    counts: ${countsLine(outcome.counts)}\n`);
      results.push({ id, ...outcome, seconds: (Date.now() - started) / 1000 });
      if (outcome.checks.failed.length) {
        keepLogs = true;
        process.stdout.write(`    app log (last lines of ${ctx.logFile}):\n${ctx.app.logTail(15).replace(/^/gm, "      | ")}\n`);
      }
    } catch (error) {
      keepLogs = true;
      process.stdout.write(`    FAIL  the scenario did not run to its end — ${error.stack ?? error}\n`);
      if (ctx?.app) process.stdout.write(`    app log:\n${ctx.app.logTail(20).replace(/^/gm, "      | ")}\n`);
      if (id === "2" && cluster) process.stdout.write(`    postgres log:\n${cluster.logTail(15).replace(/^/gm, "      | ")}\n`);
      results.push({ id, error: String(error.message ?? error), seconds: (Date.now() - started) / 1000 });
    } finally {
      if (ctx) await teardown(ctx);
    }
  }

  const totalSeconds = (Date.now() - startedAt) / 1000;
  report(results, totalSeconds);
}

function report(results, totalSeconds) {
  const failed = results.filter((r) => r.error || r.checks?.failed.length);
  const skipped = results.filter((r) => r.skipped);
  const strictFail = skipped.length > 0 && process.env.CHAOS_STRICT === "1";
  const rows = results.map((r) => {
    const c = r.counts;
    const verdict = r.skipped ? "SKIPPED" : r.error ? "ERROR" : r.checks.failed.length ? `FAILED (${r.checks.failed.length})` : `passed (${r.checks.items.length} checks)`;
    if (!c) return `| ${r.id}. ${NAMES[r.id]} | – | – | – | – | – | – | ${r.seconds.toFixed(0)} s | ${verdict} |`;
    return `| ${r.id}. ${NAMES[r.id]} | ${c.sent} | ${c.acknowledged} | ${c.stored} | ${c.delivered}/${c.deliveries} | ${c.duplicates} | ${c.lost} | ${r.seconds.toFixed(0)} s | ${verdict} |`;
  });
  const table = [
    "| Scenario | sent | acknowledged (2xx) | stored | delivered | duplicates (same webhook-id) | lost | time | result |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const header = `Run ${new Date().toISOString()}${QUICK ? " (QUICK mode)" : ""} on ${os.cpus().length} × ${cpu}, Node ${process.version}; total ${(totalSeconds / 60).toFixed(1)} min.`;
  process.stdout.write(`\n=== Summary ===\n${header}\n\n${table}\n\n`);
  for (const r of failed) {
    for (const c of r.checks?.failed ?? []) process.stdout.write(`FAILED  scenario ${r.id}: ${c.name} — ${c.detail}\n`);
    if (r.error) process.stdout.write(`FAILED  scenario ${r.id}: ${r.error}\n`);
  }
  for (const r of skipped) process.stdout.write(`SKIPPED scenario ${r.id}: ${r.skipped}\n`);
  if (process.env.CHAOS_RESULTS_FILE) {
    appendFileSync(process.env.CHAOS_RESULTS_FILE, `\n${header}\n\n${table}\n`);
    log(`summary appended to ${process.env.CHAOS_RESULTS_FILE}`);
  }
  if (failed.length || strictFail) {
    keepLogs = true;
    process.stdout.write(`\n#####################################################\n### CHAOS FAILED: ${failed.length} scenario(s) failed${strictFail ? ", and a scenario was skipped (CHAOS_STRICT=1)" : ""}\n### app logs kept in ${logsDir}\n#####################################################\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`\nCHAOS PASSED: every acknowledged postback stored, every delivery at the tracker, lost = 0${skipped.length ? ` (${skipped.length} scenario skipped, see above)` : ""}.\n`);
  }
}

main()
  .catch((error) => {
    keepLogs = true;
    process.stdout.write(`\n### CHAOS FAILED: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    cleanup();
    // Sockets of the load generator may linger; the verdict is in the exit code.
    setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
  });
