// The product under test: `next start` of the production build, in its own process group so
// that SIGKILL reaches every process of it, with its output in a log file.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { sleep } from "./util.mjs";

const NEXT = path.join("node_modules", "next", "dist", "bin", "next");
const live = new Set();

/** The settings every chaos run gives the app (see lib/platform/env.ts), on top of the caller's. */
export function appEnvironment(databaseUrl, extra = {}) {
  const env = { ...process.env };
  // Nothing from the caller's shell may point the app elsewhere (another Inngest, another database).
  for (const key of Object.keys(env)) {
    if (/^(INNGEST_|DELIVERY_|POSTBACK_|POSTLINE_|PGLITE_|DATABASE_)/.test(key)) delete env[key];
  }
  return {
    ...env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(24).toString("base64"),
    SEED_DEMO: "1",
    POSTLINE_DISPATCH: "local",
    POSTBACK_ALLOWED_ADDRESSES: "127.0.0.1",
    POSTBACK_ALLOWED_ADDRESSES_IN_PRODUCTION: "1",
    INNGEST_DEV: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_SIGNING_KEY: "",
    ...extra,
  };
}

/** Starts the app on 127.0.0.1:port; returns a handle with kill() and ready(). */
export function startApp({ port, env, logFile, label }) {
  const fd = openSync(logFile, "a");
  const child = spawn(process.execPath, [NEXT, "start", "-p", String(port), "-H", "127.0.0.1"], {
    env,
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  let exitCode;
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve((exitCode = code ?? signal))));
  const app = {
    label,
    pid: child.pid,
    port,
    base: `http://127.0.0.1:${port}`,
    logFile,
    exited,
    get alive() {
      return exitCode === undefined;
    },
    /** Waits until GET /login answers 200. */
    async ready(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!app.alive) throw new Error(`${label} exited (${exitCode}) before it answered; its log:\n${app.logTail()}`);
        try {
          const response = await fetch(`${app.base}/login`, { signal: AbortSignal.timeout(5000) });
          await response.arrayBuffer();
          if (response.status === 200) return Date.now();
        } catch {
          // not listening yet
        }
        await sleep(100);
      }
      throw new Error(`${label} did not answer GET /login with 200 within ${timeoutMs} ms; its log:\n${app.logTail()}`);
    },
    /** SIGKILL to the whole process group; resolves when the leader is gone. */
    async kill(signal = "SIGKILL") {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
      await exited;
      live.delete(app);
    },
    logTail(lines = 30) {
      try {
        return readFileSync(logFile, "utf8").trim().split("\n").slice(-lines).join("\n");
      } catch {
        return "(no log)";
      }
    },
  };
  live.add(app);
  return app;
}

/** Kills every app this run started (exit handlers; synchronous). */
export function killAllApps() {
  for (const app of live) {
    try {
      process.kill(-app.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  live.clear();
}

/** A fresh click on the demo tracking link: its id, from the landing URL's click_id. */
export async function newClick(base) {
  const response = await fetch(`${base}/c/demo-summer?sub1=chaos`, { redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) throw new Error(`GET /c/demo-summer answered ${response.status}, not a 302`);
  const clickId = new URL(location).searchParams.get("click_id");
  if (!clickId) throw new Error(`no click_id in ${location}`);
  return clickId;
}

export function postbackUrl(base, clickId, txid) {
  return `${base}/api/postback/end_demo_acme?token=demo-endpoint-secret&click_id=${encodeURIComponent(clickId)}&txid=${encodeURIComponent(txid)}&status=sale`;
}
