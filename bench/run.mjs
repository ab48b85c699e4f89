// npm run bench: the product's production build on a real Postgres against two baselines in the
// same run — a bare node:http server (the physical limit) and a minimal Next.js app (the
// framework's ceiling) making the same writes — then the relay at a steady rate, a backlog of
// deliveries after a restart, and the product on PGlite for reference. Loopback only, bounded in
// time; prints a table and writes it to BENCHMARKS.md.
// Settings: DATABASE_URL (a Postgres where databases may be created), BENCH_SECONDS (per load,
// default 10), BENCH_CONNECTIONS (50), BENCH_RELAY_RATE (200/s), BENCH_RELAY_SECONDS (30),
// BENCH_BACKLOG (10000), BENCH_ROUNDS (3), BENCH_SKIP_BUILD=1 (reuse the builds), BENCH_WRITE=0
// (print only), BENCH_ONLY (comma list of: ingest, program, clicks, relay, backlog, baselines, pglite,
// scale); for the scale scenario (bench/scale.mjs) BENCH_SCALE (1 = 5M clicks), BENCH_PAGE_SAMPLES
// (20 reads of each page), BENCH_SCALE_ROUNDS (5 rounds of writes without and with streams).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { appEnvironment } from "./chaos/app.mjs";
import { freshDatabase, load as loadFor, log, percentile, sleep, start, startTracker, stop, stopAll, waitUntilUp } from "./harness.mjs";
import { runScale, scaleReport } from "./scale.mjs";

const SERVER_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RELAY_RATE = Number(process.env.BENCH_RELAY_RATE ?? 200);
const RELAY_SECONDS = Number(process.env.BENCH_RELAY_SECONDS ?? 30);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 10_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const ONLY = new Set((process.env.BENCH_ONLY ?? "ingest,program,clicks,relay,backlog,baselines,pglite,scale").split(","));
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PAGE_SAMPLES = Math.max(1, Number(process.env.BENCH_PAGE_SAMPLES ?? 20));
const SCALE_ROUNDS = Math.max(1, Number(process.env.BENCH_SCALE_ROUNDS ?? 5));
const MAIN = ["ingest", "program", "clicks", "relay", "backlog", "pglite"].some((part) => ONLY.has(part));
const NEXT = "node_modules/next/dist/bin/next";
/** A load with this run's duration and connections. */
const load = (base, path, expected) => loadFor(base, path, expected, { seconds: SECONDS, connections: CONNECTIONS });
const PRODUCT_PORT = 3400;

/** The product's settings for a loopback run: the chaos harness's, with the caller's app settings left out. */
const productEnv = (extra) => appEnvironment(extra.DATABASE_URL, extra);

/**
 * The demo data made ready for load (prepareProductSql): the demo offer (one conversion per click) with enough
 * clicks for every postback of the run, each postback a new click's conversion — as merchants
 * send them — and the affiliate's postback pointed at the local tracker.
 */
function prepareProductSql(trackerUrl, clicks) {
  return `update incoming_endpoints set rate_limit_per_minute = 100000000;
    update outgoing_postbacks set url_template = '${trackerUrl}/pb?cid={click_id}&s={status}&tid={txid}';
    insert into clicks (id, tracking_link_id, campaign_id, offer_id, affiliate_id, network_id)
      select 'clk_bench_' || g, 'lnk_demo', 'cmp_demo_spring', 'off_demo_summer', 'org_demo_affiliate', 'org_demo_network' from generate_series(1, ${Number(clicks)}) g;`;
}

/**
 * A second offer of the demo merchant, with a program on it (the issue's configuration): a goal
 * `sale` paying 10% of the sale amount, a payout rule for the demo affiliate, a daily cap far above
 * the run's count (every conversion takes from it in its transaction), and two rules (a maximum
 * click-to-conversion time that flags, and a per-IP limit that rejects), with its own clicks.
 */
function prepareProgramSql(clicks) {
  return `insert into offers (id, network_id, merchant_id, name, landing_url, default_payout, default_revenue, currency)
      select 'off_bench_program', network_id, merchant_id, 'Bench program', landing_url, default_payout, default_revenue, currency from offers where id = 'off_demo_summer';
    insert into offer_goals (id, offer_id, key, name, payout_kind, payout, revenue_kind, revenue) values ('goal_bench_sale', 'off_bench_program', 'sale', 'Sale', 'percent', 10, 'percent', 20);
    insert into payout_rules (id, network_id, offer_id, affiliate_id, goal_key, payout_kind, payout) values ('pr_bench', 'org_demo_network', 'off_bench_program', 'org_demo_affiliate', 'sale', 'percent', 12);
    insert into caps (id, network_id, offer_id, period, metric, cap_limit, action) values ('cap_bench', 'org_demo_network', 'off_bench_program', 'day', 'count', 100000000, 'reject');
    insert into conversion_rules (id, network_id, offer_id, kind, action, threshold) values ('rule_bench_time', 'org_demo_network', 'off_bench_program', 'max_click_seconds', 'flag', 2592000);
    insert into conversion_rules (id, network_id, offer_id, kind, action, threshold, window_minutes) values ('rule_bench_ip', 'org_demo_network', 'off_bench_program', 'ip_limit', 'reject', 100000000, 60);
    insert into clicks (id, tracking_link_id, campaign_id, offer_id, affiliate_id, network_id, ip)
      select 'clk_prog_' || g, 'lnk_demo', 'cmp_demo_spring', 'off_bench_program', 'org_demo_affiliate', 'org_demo_network', '198.51.100.' || (g % 250) from generate_series(1, ${Number(clicks)}) g;`;
}

const programPostbackPath = (run, n) => `/api/postback/end_demo_acme?token=demo-endpoint-secret&click_id=clk_prog_${n}&txid=${run}-p${n}&goal=sale&sale_amount=100&status=sale`;

const postbackPath = (run, n) => `/api/postback/end_demo_acme?token=demo-endpoint-secret&click_id=clk_bench_${n}&txid=${run}-${n}&status=sale`;

async function waitForDrain(sql, timeoutMs = 120_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const [{ pending }] = await sql`select count(*)::int as pending from deliveries where state = 'pending'`;
    if (pending === 0) return (Date.now() - started) / 1000;
    await sleep(100);
  }
  return NaN;
}

/**
 * Postbacks at a steady `RELAY_RATE` for `RELAY_SECONDS` (open loop: one every 1/rate s whatever
 * the answers), each to a fresh click; the latency of each is from its 2xx to the tracker
 * receiving its outgoing postback.
 */
async function relayAtSteadyRate(base, tracker, run, firstClick) {
  const agent = new Agent({ keepAlive: true, maxSockets: 100 });
  const ackedAt = new Map();
  let sent = 0;
  // What each refused or failed request got, so that a run that fails says why.
  const failures = [];
  const notAccepted = [];
  const total = RELAY_RATE * RELAY_SECONDS;
  let resent = 0;
  const send = (n, again = false) =>
    new Promise((resolve) => {
      const txid = `${run}-${n}`;
      const req = request(`${base}${postbackPath(run, n)}`, { agent }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => {
          if (res.statusCode === 200 && JSON.parse(body).result === "accepted") ackedAt.set(txid, performance.now());
          else if (res.statusCode === 200) notAccepted.push(`${txid}: ${body}`);
          else failures.push(`${txid}: HTTP ${res.statusCode} ${body.slice(0, 200)}`);
          resolve();
        });
      });
      req.on("error", (error) => {
        // A kept-alive socket the server closed just as this request went out (the race Node's
        // documentation describes for `request.reusedSocket`): sent again once, as HTTP clients do with a GET.
        if (!again && req.reusedSocket && error.code === "ECONNRESET") {
          resent++;
          resolve(send(n, true));
          return;
        }
        failures.push(`${txid}: ${error.code ?? error.message}`);
        resolve();
      });
      req.end();
    });
  const inFlight = [];
  const started = performance.now();
  while (sent < total) {
    const due = started + (sent * 1000) / RELAY_RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(send(firstClick + sent));
    sent++;
  }
  await Promise.all(inFlight);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && [...ackedAt.keys()].some((txid) => !tracker.receivedAt.has(txid))) await sleep(100);
  const latencies = [...ackedAt].filter(([txid]) => tracker.receivedAt.has(txid)).map(([txid, at]) => Math.max(0, tracker.receivedAt.get(txid) - at)).sort((a, b) => a - b);
  agent.destroy();
  if (notAccepted.length > 0) log(`answered 200 but not accepted: ${notAccepted.slice(0, 3).join(" | ")}`);
  if (failures.length > 0) log(`not answered 200: ${failures.slice(0, 3).join(" | ")}`);
  return { sent, resent, acked: ackedAt.size, failed: failures.length + notAccepted.length, lost: ackedAt.size - latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) };
}

/**
 * What a restart finds when the process that owed deliveries died: BACKLOG conversions, each
 * with its event and a pending delivery two minutes overdue, written straight into the tables.
 */
async function writeBacklog(sql, trackerHost) {
  await sql`insert into clicks (id, tracking_link_id, campaign_id, offer_id, affiliate_id, network_id)
    select 'clk_backlog_' || g, 'lnk_demo', 'cmp_demo_spring', 'off_demo_summer', 'org_demo_affiliate', 'org_demo_network' from generate_series(1, ${BACKLOG}::int) g`;
  await sql`insert into conversions (id, click_id, offer_id, campaign_id, network_id, merchant_id, affiliate_id, transaction_id, conversion_key, status, payout, revenue)
    select 'conv_backlog_' || g, 'clk_backlog_' || g, 'off_demo_summer', 'cmp_demo_spring', 'org_demo_network', 'org_demo_merchant', 'org_demo_affiliate', 'backlog-' || g, 'click:clk_backlog_' || g, 'approved', 12.5, 20
    from generate_series(1, ${BACKLOG}::int) g`;
  await sql`insert into conversion_events (id, conversion_id, kind, to_status, source, payout, revenue)
    select 'evt_backlog_' || g, 'conv_backlog_' || g, 'created', 'approved', 'incoming_postback', 12.5, 20 from generate_series(1, ${BACKLOG}::int) g`;
  await sql`insert into deliveries (id, postback_id, conversion_event_id, conversion_id, owner_org_id, recipient_org_id, network_id, destination_host, next_attempt_at)
    select 'dlv_backlog_' || g, 'pb_demo_tracker', 'evt_backlog_' || g, 'conv_backlog_' || g, 'org_demo_affiliate', 'org_demo_affiliate', 'org_demo_network', ${trackerHost}, now() - interval '2 minutes'
    from generate_series(1, ${BACKLOG}::int) g`;
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
  const productDb = await freshDatabase(admin, SERVER_URL, "postline_bench");
  const baseDb = await freshDatabase(admin, SERVER_URL, "postline_bench_base");
  const base = postgres(baseDb.url, { max: 1, onnotice: () => {} });
  await base.unsafe(readFileSync("bench/baseline-schema.sql", "utf8"));
  const tracker = await startTracker();
  const pgliteDir = mkdtempSync(path.join(os.tmpdir(), "postline-bench-pglite-"));
  const run = randomBytes(3).toString("hex");
  const results = {};
  const productUrl = `http://127.0.0.1:${PRODUCT_PORT}`;
  const nextUrl = "http://127.0.0.1:3402";
  const bareUrl = "http://127.0.0.1:3401";

  try {
    log(`product on Postgres (${productDb.name}); baselines on ${baseDb.name}`);
    // The three servers stay up, and only the one being measured has work: the loads alternate
    // between them, round after round. On these shared 2-core machines the speed of one server
    // moved by 10-15% within minutes, so each product figure is set beside baselines measured
    // in the same minute, and the median of the rounds is reported with every round's ratio.
    let productServer = start(process.execPath, [NEXT, "start", "-p", String(PRODUCT_PORT), "-H", "127.0.0.1"], productEnv({ DATABASE_URL: productDb.url }));
    const baselineServers = ONLY.has("baselines")
      ? [
          start(process.execPath, [NEXT, "start", "bench/next-baseline", "-p", "3402", "-H", "127.0.0.1"], { ...process.env, DATABASE_URL: baseDb.url }),
          start(process.execPath, ["bench/baseline-bare.mjs"], { ...process.env, DATABASE_URL: baseDb.url, PORT: "3401" }),
        ]
      : [];
    await waitUntilUp(`${productUrl}/login`);
    if (ONLY.has("baselines")) await Promise.all([waitUntilUp(`${nextUrl}/`), waitUntilUp(`${bareUrl}/`)]);
    const product = postgres(productDb.url, { max: 1, onnotice: () => {} });
    // Enough clicks for every postback of the run, at up to 2,500 a second.
    await product.unsafe(prepareProductSql(tracker.url, ROUNDS * (SECONDS + 2) * 2_500 + RELAY_RATE * RELAY_SECONDS));
    if (ONLY.has("program")) await product.unsafe(prepareProgramSql(ROUNDS * (SECONDS + 2) * 2_500));
    // A table just filled in bulk is what autovacuum wakes for: it would vacuum and analyze the
    // clicks in the middle of the first measurement. Done now, before any.
    await product.unsafe("vacuum analyze clicks");
    let nextClick = 1;
    let nextProgramClick = 1;
    const rounds = { ingestProduct: [], ingestProgram: [], ingestNext: [], ingestBare: [], clicksProduct: [], clicksNext: [], clicksBare: [], ingestDrainSeconds: [] };

    for (let round = 1; round <= ROUNDS; round++) {
      const of = ROUNDS > 1 ? ` (round ${round} of ${ROUNDS})` : "";
      if (ONLY.has("ingest")) {
        log(`ingest: product${of}`);
        const measured = await load(productUrl, (n) => postbackPath(run, nextClick + n), "200");
        rounds.ingestProduct.push(measured);
        nextClick += measured.used + 1; // path(n) counts from 1
        // The relay runs in the product's process: it finishes before the next measurement.
        rounds.ingestDrainSeconds.push(await waitForDrain(product));
        if (ONLY.has("program")) {
          log(`ingest with the program: product${of}`);
          const program = await load(productUrl, (n) => programPostbackPath(run, nextProgramClick + n), "200");
          rounds.ingestProgram.push(program);
          nextProgramClick += program.used + 1;
          rounds.ingestDrainSeconds.push(await waitForDrain(product));
        }
        if (ONLY.has("baselines")) {
          log(`ingest: Next.js and bare baselines${of}`);
          rounds.ingestNext.push(await load(nextUrl, (n) => `/api/ingest?click_id=c&txid=n${run}-${round}-${n}&status=sale`, "200"));
          rounds.ingestBare.push(await load(bareUrl, (n) => `/ingest?click_id=c&txid=b${run}-${round}-${n}&status=sale`, "200"));
        }
      }
      if (ONLY.has("clicks")) {
        log(`clicks: product${ONLY.has("baselines") ? ", Next.js and bare baselines" : ""}${of}`);
        rounds.clicksProduct.push(await load(productUrl, () => "/c/demo-summer?sub1=bench", "302"));
        if (ONLY.has("baselines")) {
          rounds.clicksNext.push(await load(nextUrl, () => "/c/demo-summer?sub1=bench", "302"));
          rounds.clicksBare.push(await load(bareUrl, () => "/c/demo-summer?sub1=bench", "302"));
        }
      }
    }
    for (const server of baselineServers) await stop(server);
    Object.assign(results, summarizeRounds(rounds));

    if (ONLY.has("relay")) {
      log(`relay: ${RELAY_RATE} postbacks/s for ${RELAY_SECONDS} s`);
      results.relay = await relayAtSteadyRate(productUrl, tracker, `relay${run}`, nextClick);
      nextClick += results.relay.sent;
    }
    await waitForDrain(product, 30_000); // the last settles commit just after the tracker's answers
    const [{ stored }] = await product`select count(*)::int as stored from conversions`;
    const [{ deliveries }] = await product`select count(*)::int as deliveries from deliveries`;
    const [{ undelivered }] = await product`select count(*)::int as undelivered from deliveries where state <> 'delivered'`;
    const failedAttempts = await product`select error_class, left(error_message, 120) as error, count(*)::int as n from delivery_attempts where not ok group by 1, 2 order by 3 desc`;
    results.counts = { stored, deliveries, undelivered, relayed: tracker.received(), duplicateIds: [...tracker.webhookIds.values()].filter((n) => n > 1).length, failedAttempts };

    if (ONLY.has("backlog")) {
      log(`backlog: ${BACKLOG} deliveries owed when the product starts`);
      await stop(productServer);
      await writeBacklog(product, new URL(tracker.url).host);
      const before = tracker.received();
      const started = performance.now();
      productServer = start(process.execPath, [NEXT, "start", "-p", String(PRODUCT_PORT), "-H", "127.0.0.1"], productEnv({ DATABASE_URL: productDb.url, SEED_DEMO: "" }));
      await waitUntilUp(`${productUrl}/login`);
      const up = performance.now();
      while (tracker.received() - before < BACKLOG && performance.now() - started < 300_000) await sleep(50);
      const drained = performance.now() - up;
      // The last deliveries are marked delivered just after the tracker's answers.
      let left = BACKLOG;
      for (let i = 0; i < 100 && left > 0; i++) {
        [{ left }] = await product`select count(*)::int as left from deliveries where id like 'dlv_backlog_%' and state <> 'delivered'`;
        if (left > 0) await sleep(100);
      }
      if (process.env.BENCH_DEBUG) {
        console.log(await product`select count(*)::int n, avg(duration_ms)::int avg_ms, max(duration_ms) max_ms, min(created_at) first, max(created_at) last, count(*) filter (where not ok)::int failed from delivery_attempts where delivery_id like 'dlv_backlog_%'`);
        console.log(await product`select date_trunc('second', created_at) s, count(*)::int from delivery_attempts where delivery_id like 'dlv_backlog_%' group by 1 order by 1 limit 20`);
      }
      results.backlog = { startSeconds: (up - started) / 1000, drainSeconds: drained / 1000, delivered: tracker.received() - before, left };
    }
    await stop(productServer);
    await product.end();

    if (ONLY.has("pglite")) {
      log("ingest and clicks: product on PGlite (the embedded default), for reference");
      const env = productEnv({ DATABASE_URL: "", PGLITE_DIR: pgliteDir });
      // PGlite lives inside the app's process: a first start migrates and seeds, then the data is
      // prepared while the app is stopped, and the second start is measured.
      let pgliteServer = start(process.execPath, [NEXT, "start", "-p", String(PRODUCT_PORT), "-H", "127.0.0.1"], env);
      await waitUntilUp(`${productUrl}/login`);
      await stop(pgliteServer);
      const { PGlite } = await import("@electric-sql/pglite");
      const embedded = new PGlite(pgliteDir);
      await embedded.exec(prepareProductSql(tracker.url, 30_000));
      await embedded.exec("vacuum analyze clicks");
      await embedded.close();
      pgliteServer = start(process.execPath, [NEXT, "start", "-p", String(PRODUCT_PORT), "-H", "127.0.0.1"], { ...env, SEED_DEMO: "" });
      await waitUntilUp(`${productUrl}/login`);
      const ingest = await load(productUrl, (n) => postbackPath(`pglite${run}`, n), "200");
      const clicks = await load(productUrl, () => "/c/demo-summer?sub1=bench", "302");
      results.pglite = { ingest, clicks };
      await stop(pgliteServer);
    }
    if (MAIN) report(results);
    if (ONLY.has("scale")) {
      log(`scale: two months of one busy network (BENCH_SCALE=${SCALE})`);
      const scale = scaleReport(await runScale({ admin, serverUrl: SERVER_URL, next: NEXT, port: PRODUCT_PORT, tracker, scale: SCALE, samples: PAGE_SAMPLES, seconds: SECONDS, connections: CONNECTIONS, rounds: SCALE_ROUNDS, run }));
      const header = `Run ${new Date().toISOString()} on ${machine()}; \`npm run bench\` (BENCH_SCALE=${SCALE}).`;
      const text = `${header}\n\n${scale.text}`;
      process.stdout.write(`\n${text}\n`);
      writeSection("scale", text);
      if (scale.failed) results.scaleFailed = true;
    }
    // Speed is reported; losing or failing requests is a defect, and the run says so by its exit code.
    const problems = [
      ...(results.scaleFailed ? ["pages or requests of the scale scenario failed"] : []),
      ...[results.ingestProduct, results.ingestProgram, results.clicksProduct, results.pglite?.ingest, results.pglite?.clicks].filter((r) => r?.errors > 0).map(() => "requests failed"),
      ...(results.relay && (results.relay.lost > 0 || results.relay.failed > 0) ? ["the relay lost or refused postbacks"] : []),
      ...(results.backlog?.left > 0 ? ["the backlog was not drained"] : []),
      ...(results.counts?.undelivered > 0 ? ["deliveries were left undelivered"] : []),
    ];
    if (problems.length > 0) {
      console.error(`[bench] FAILED: ${[...new Set(problems)].join("; ")}`);
      process.exitCode = 1;
    }
  } finally {
    stopAll();
    tracker.close();
    await base.end();
    rmSync(pgliteDir, { recursive: true, force: true });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${productDb.name} WITH (FORCE)`);
    await admin.unsafe(`DROP DATABASE IF EXISTS ${baseDb.name} WITH (FORCE)`);
    await admin.end();
  }
}

/** The round of median throughput (the lower middle of an even count), with the errors of all rounds. */
function median(measured) {
  if (measured.length === 0) return undefined;
  const sorted = [...measured].sort((a, b) => a.rps - b.rps);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], errors: measured.reduce((sum, m) => sum + m.errors, 0), rounds: measured };
}

function summarizeRounds(rounds) {
  const drains = rounds.ingestDrainSeconds;
  return {
    ingestProduct: median(rounds.ingestProduct),
    ingestProgram: rounds.ingestProgram.length > 0 ? median(rounds.ingestProgram) : undefined,
    ingestNext: median(rounds.ingestNext),
    ingestBare: median(rounds.ingestBare),
    clicksProduct: median(rounds.clicksProduct),
    clicksNext: median(rounds.clicksNext),
    clicksBare: median(rounds.clicksBare),
    ingestDrainSeconds: drains.length > 0 ? Math.max(...drains) : undefined,
  };
}

function report(r) {
  const ratio = (a, b) => (b ? `${((a / b) * 100).toFixed(0)}%` : "–");
  const perRound = (p, next) => (next && p.rounds?.length > 1 ? p.rounds.map((m, i) => ratio(m.rps, next.rounds[i]?.rps)).join(" · ") : "–");
  const row = (label, p, next, bare) =>
    `| ${label} | ${p.rps.toFixed(0)} | ${p.p50} | ${p.p99} | ${p.errors} | ${next?.rps.toFixed(0) ?? "–"} | ${bare?.rps.toFixed(0) ?? "–"} | ${ratio(p.rps, next?.rps)} | ${ratio(p.rps, bare?.rps)} | ${perRound(p, next)} |`;
  const lines = [
    "| Measurement | Product req/s | p50 ms | p99 ms | errors | Next.js baseline req/s | bare baseline req/s | vs Next.js | vs bare | vs Next.js, each round |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  if (r.ingestProduct) lines.push(row("Ingest (postback + delivery), Postgres", r.ingestProduct, r.ingestNext, r.ingestBare));
  if (r.ingestProgram) lines.push(row("Ingest with a goal, a payout rule, a cap and two rules, Postgres", r.ingestProgram, r.ingestNext, r.ingestBare));
  if (r.clicksProduct) lines.push(row("Clicks (`/c/{code}` 302), Postgres", r.clicksProduct, r.clicksNext, r.clicksBare));
  if (r.pglite) {
    lines.push(row("Ingest, PGlite (embedded default)", r.pglite.ingest, r.ingestNext, r.ingestBare));
    lines.push(row("Clicks, PGlite (embedded default)", r.pglite.clicks, r.clicksNext, r.clicksBare));
  }
  const table = lines.join("\n");
  const relay = [
    "| Relay | Figure | Target |",
    "|---|---|---|",
    ...(r.relay
      ? [
          `| Steady load | ${r.relay.sent} postbacks at ${RELAY_RATE}/s for ${RELAY_SECONDS} s: ${r.relay.acked} answered 200, ${r.relay.failed} not${r.relay.resent > 0 ? ` (${r.relay.resent} sent again after a reset of a kept-alive connection)` : ""} | zero errors |`,
          `| Latency, 2xx → tracker | p50 ${r.relay.p50.toFixed(0)} ms, p99 ${r.relay.p99.toFixed(0)} ms, max ${r.relay.max.toFixed(0)} ms | p50 < 500 ms, p99 < 2 s |`,
          `| Lost (acknowledged, not relayed within 60 s) | ${r.relay.lost} | 0 |`,
        ]
      : []),
    ...(r.backlog
      ? [`| Backlog of ${BACKLOG} deliveries owed at start-up | ${r.backlog.delivered} delivered ${r.backlog.drainSeconds.toFixed(1)} s after the server answered (start-up ${r.backlog.startSeconds.toFixed(1)} s); ${r.backlog.left} left | < 60 s |`]
      : []),
  ].join("\n");
  const header = `Run ${new Date().toISOString()} on ${machine()}; \`npm run bench\`; ${CONNECTIONS} connections, ${SECONDS} s per load after a 2 s warm-up; ${ROUNDS === 1 ? "one round" : `${ROUNDS} rounds, the product and the baselines in turn, medians shown (PGlite one round)`}; load generator and tracker on the same machine.`;
  const c = r.counts;
  const extra = c
    ? `Over the Postgres run: ${c.stored} conversions stored, ${c.deliveries} deliveries written, ${c.undelivered} not delivered at the end, ${c.relayed} requests received by the tracker, ${c.duplicateIds} webhook-ids received more than once; failed attempts (retried): ${c.failedAttempts.length === 0 ? "none" : c.failedAttempts.map((a) => `${a.n} × ${a.error_class} (${a.error})`).join("; ")}.${r.ingestDrainSeconds !== undefined ? ` The relay of the ingest load finished ${r.ingestDrainSeconds.toFixed(1)} s after the load stopped${ROUNDS > 1 ? " (the slowest round)" : ""}.` : ""}`
    : "";
  const text = [header, table, r.relay || r.backlog ? relay : "", extra].filter(Boolean).join("\n\n");
  process.stdout.write(`\n${text}\n`);
  writeSection("latest", text);
}

const machine = () => `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL on loopback`;

/** Replaces what BENCHMARKS.md holds between `<!-- bench:name -->` and `<!-- /bench:name -->`. */
function writeSection(name, text) {
  if (process.env.BENCH_WRITE === "0") return;
  const doc = readFileSync("BENCHMARKS.md", "utf8");
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const from = doc.indexOf(open);
  const to = doc.indexOf(close);
  if (from < 0 || to < from) throw new Error(`BENCHMARKS.md has no ${open} … ${close} section`);
  writeFileSync("BENCHMARKS.md", `${doc.slice(0, from + open.length)}\n\n${text}\n\n${doc.slice(to)}`);
}

main().catch((error) => {
  stopAll();
  console.error(error);
  process.exit(1);
});
