// npm run bench: the product's production build on a real Postgres against two baselines in the
// same run — a bare node:http server (the physical limit) and a minimal Next.js app (the
// framework's ceiling) making the same writes. Loopback only, bounded in time; prints a table
// and writes it to BENCHMARKS.md. Settings: DATABASE_URL (a Postgres where databases may be
// created), BENCH_SECONDS (per measurement, default 10), BENCH_CONNECTIONS (default 50).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import autocannon from "autocannon";
import postgres from "postgres";

const SERVER_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const NEXT = "node_modules/next/dist/bin/next";
const children = [];

function log(line) {
  process.stdout.write(`[bench] ${line}\n`);
}

async function freshDatabase(admin, prefix) {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

function start(command, args, env) {
  const child = spawn(command, args, { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "ignore", "inherit"], detached: true });
  children.push(child);
  return child;
}

function stop(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {}
}

function stopAll() {
  for (const child of children) stop(child);
}

async function waitUntilUp(url) {
  for (let i = 0; i < 300; i++) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** autocannon for `seconds`, after a short warm-up; `path()` makes each request's path. */
async function load(base, path, expected) {
  let n = 0;
  const run = (duration) =>
    autocannon({
      url: base,
      connections: CONNECTIONS,
      duration,
      requests: [{ setupRequest: (request) => ({ ...request, path: path(++n) }) }],
    });
  await run(2);
  const result = await run(SECONDS);
  const good = Number(result.statusCodeStats?.[expected]?.count ?? 0);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total, errors: result.errors + result.timeouts + (result.requests.total - good) };
}

async function main() {
  if (process.env.BENCH_SKIP_BUILD !== "1") {
    log("building the product and the Next.js baseline (production)");
    for (const args of [["build"], ["build", "bench/next-baseline"]]) {
      const built = spawnSync(process.execPath, [NEXT, ...args], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
      if (built.status !== 0) throw new Error(`next ${args.join(" ")} failed`);
    }
  }
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  const productDb = await freshDatabase(admin, "postline_bench");
  const baseDb = await freshDatabase(admin, "postline_bench_base");
  const base = postgres(baseDb.url, { max: 1, onnotice: () => {} });
  await base.unsafe(readFileSync("bench/baseline-schema.sql", "utf8"));

  // The tracker the product relays each conversion to.
  let relayed = 0;
  const tracker = createServer((req, res) => {
    relayed++;
    res.end("OK");
  });
  await new Promise((r) => tracker.listen(0, "127.0.0.1", r));
  const trackerUrl = `http://127.0.0.1:${tracker.address().port}`;

  try {
    log(`product on Postgres (${productDb.name}); baselines on ${baseDb.name}`);
    // One server at a time, so that none of them takes CPU from the one being measured.
    const productServer = start(process.execPath, [NEXT, "start", "-p", "3400", "-H", "127.0.0.1"], {
      DATABASE_URL: productDb.url,
      AUTH_SECRET: randomBytes(24).toString("base64"),
      SEED_DEMO: "1",
      POSTLINE_DISPATCH: "local",
      POSTBACK_ALLOWED_ADDRESSES: "127.0.0.1",
      POSTBACK_ALLOWED_ADDRESSES_IN_PRODUCTION: "1",
      INNGEST_DEV: "",
      INNGEST_EVENT_KEY: "",
      INNGEST_SIGNING_KEY: "",
    });
    await waitUntilUp("http://127.0.0.1:3400/login");

    // One affiliate postback on the demo offer, so each postback also writes its delivery; several
    // conversions per click, so each request with a new transaction id is a new conversion.
    const product = postgres(productDb.url, { max: 1, onnotice: () => {} });
    await product`update offers set allow_multiple_conversions = true`;
    await product`update incoming_endpoints set rate_limit_per_minute = 100000000`;
    await product`update outgoing_postbacks set url_template = ${`${trackerUrl}/pb?cid={click_id}&s={status}&tid={txid}`}`;
    const click = await fetch("http://127.0.0.1:3400/c/demo-summer", { redirect: "manual" });
    const clickId = new URL(click.headers.get("location")).searchParams.get("click_id");
    const run = randomBytes(3).toString("hex");

    const results = {};
    log("ingest: product");
    results.ingestProduct = await load("http://127.0.0.1:3400", (n) => `/api/postback/end_demo_acme?token=demo-endpoint-secret&click_id=${clickId}&txid=${run}-${n}&status=sale`, "200");
    // Let the relay finish (it runs in this process) before measuring clicks, and count what reached the tracker.
    const drainStarted = Date.now();
    for (let i = 0; i < 1200; i++) {
      const [{ pending }] = await product`select count(*)::int as pending from deliveries where state = 'pending'`;
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    results.relayDrainSeconds = (Date.now() - drainStarted) / 1000;
    log("clicks: product");
    results.clicksProduct = await load("http://127.0.0.1:3400", () => "/c/demo-summer?sub1=bench", "302");
    stop(productServer);

    const nextServer = start(process.execPath, [NEXT, "start", "bench/next-baseline", "-p", "3402", "-H", "127.0.0.1"], { DATABASE_URL: baseDb.url });
    await waitUntilUp("http://127.0.0.1:3402/");
    log("ingest: Next.js baseline");
    results.ingestNext = await load("http://127.0.0.1:3402", (n) => `/api/ingest?click_id=c&txid=n${run}-${n}&status=sale`, "200");
    log("clicks: Next.js baseline");
    results.clicksNext = await load("http://127.0.0.1:3402", () => "/c/demo-summer?sub1=bench", "302");
    stop(nextServer);

    const bareServer = start(process.execPath, ["bench/baseline-bare.mjs"], { DATABASE_URL: baseDb.url, PORT: "3401" });
    await waitUntilUp("http://127.0.0.1:3401/");
    log("ingest: bare baseline");
    results.ingestBare = await load("http://127.0.0.1:3401", (n) => `/ingest?click_id=c&txid=b${run}-${n}&status=sale`, "200");
    log("clicks: bare baseline");
    results.clicksBare = await load("http://127.0.0.1:3401", () => "/c/demo-summer?sub1=bench", "302");
    stop(bareServer);

    const [{ stored }] = await product`select count(*)::int as stored from conversions`;
    const [{ deliveries }] = await product`select count(*)::int as deliveries from deliveries`;
    await product.end();
    report(results, { stored, deliveries, relayed });
  } finally {
    stopAll();
    tracker.close();
    await base.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${productDb.name} WITH (FORCE)`);
    await admin.unsafe(`DROP DATABASE IF EXISTS ${baseDb.name} WITH (FORCE)`);
    await admin.end();
  }
}

function report(r, counts) {
  const row = (label, p, next, bare) =>
    `| ${label} | ${p.rps.toFixed(0)} | ${p.p50} | ${p.p99} | ${p.errors} | ${next.rps.toFixed(0)} | ${bare.rps.toFixed(0)} | ${((p.rps / next.rps) * 100).toFixed(0)}% | ${((p.rps / bare.rps) * 100).toFixed(0)}% |`;
  const table = [
    "| Measurement | Product req/s | p50 ms | p99 ms | errors | Next.js baseline req/s | bare baseline req/s | vs Next.js | vs bare |",
    "|---|---|---|---|---|---|---|---|---|",
    row("Ingest (postback + delivery)", r.ingestProduct, r.ingestNext, r.ingestBare),
    row("Clicks (`/c/{code}` 302)", r.clicksProduct, r.clicksNext, r.clicksBare),
  ].join("\n");
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const header = `Run ${new Date().toISOString()} on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback; ${CONNECTIONS} connections, ${SECONDS} s per measurement after a 2 s warm-up; load generator on the same machine.`;
  const extra = `Conversions stored by the product during the run: ${counts.stored}; deliveries written: ${counts.deliveries}; relayed to the local tracker by the end: ${counts.relayed} (the embedded dispatcher finished the relay ${r.relayDrainSeconds.toFixed(1)} s after the ingest load stopped).`;
  process.stdout.write(`\n${header}\n\n${table}\n\n${extra}\n`);
  if (process.env.BENCH_WRITE !== "0") {
    const doc = readFileSync("BENCHMARKS.md", "utf8");
    const marker = "<!-- bench:latest -->";
    const [before] = doc.split(marker);
    writeFileSync("BENCHMARKS.md", `${before}${marker}\n\n${header}\n\n${table}\n\n${extra}\n`);
  }
}

main().catch((error) => {
  stopAll();
  console.error(error);
  process.exit(1);
});
