// What the benchmark scenarios share: servers started in their own process groups, fresh
// databases, autocannon loads and the tracker the product relays to.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import autocannon from "autocannon";

const children = [];

export function log(line) {
  process.stdout.write(`[bench] ${line}\n`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A new database on the server of `serverUrl`, named after `prefix`. */
export async function freshDatabase(admin, serverUrl, prefix) {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Starts a server in its own process group with exactly `env` (the baselines add theirs to this process's). */
export function start(command, args, env) {
  const child = spawn(command, args, { env: { NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "ignore", "inherit"], detached: true });
  children.push(child);
  return child;
}

export async function stop(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {}
  await sleep(300);
}

export function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }
}

export async function waitUntilUp(url) {
  for (let i = 0; i < 600; i++) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** autocannon for `seconds`, after a 2 s warm-up; `path()` makes each request's path; `headers` go with each request. */
export async function load(base, path, expected, { seconds, connections, headers = {} }) {
  let n = 0;
  const run = (duration) =>
    autocannon({ url: base, connections, duration, headers, requests: [{ setupRequest: (request) => ({ ...request, path: path(++n) }) }] });
  await run(2);
  const result = await run(seconds);
  const good = Number(result.statusCodeStats?.[expected]?.count ?? 0);
  log(`  ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, used: n, errors: result.errors + result.timeouts + (result.requests.total - good) };
}

export const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

/** The tracker the product relays to: when each transaction id arrived, and each webhook-id seen. */
export function startTracker() {
  const receivedAt = new Map();
  const webhookIds = new Map();
  let received = 0;
  const server = createServer((req, res) => {
    received++;
    const tid = new URL(req.url, "http://x").searchParams.get("tid");
    if (tid && !receivedAt.has(tid)) receivedAt.set(tid, performance.now());
    const id = req.headers["webhook-id"];
    webhookIds.set(id, (webhookIds.get(id) ?? 0) + 1);
    res.end("OK");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        receivedAt,
        webhookIds,
        received: () => received,
        close: () => server.close(),
      }),
    ),
  );
}
