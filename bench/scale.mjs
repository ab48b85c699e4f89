// The scale scenario of `npm run bench` (BENCH_ONLY=scale): two months of one busy network loaded
// with SQL (5,000,000 clicks, 500,000 conversions, 1,000,000 incoming log rows, 500,000
// deliveries with 1,000,000 attempts at BENCH_SCALE=1), then, against the production build: every
// main page's median and p95 for each party that reads it, and clicks and postbacks per second
// with no live-log stream open and with 20 open.
import { request } from "node:http";
import postgres from "postgres";
import { appEnvironment } from "./chaos/app.mjs";
import { freshDatabase, load, log, percentile, sleep, start, stop, waitUntilUp } from "./harness.mjs";

const DEMO_PASSWORD = "postline-demo";
const STREAMS = 20;

/** The volumes at a scale factor (1 = the issue's two months of one busy network). */
export function scaleVolumes(scale) {
  const clicks = Math.max(10_000, Math.round(5_000_000 * scale));
  const conversions = Math.floor(clicks / 10);
  return { clicks, conversions, incoming: conversions * 2, deliveries: conversions, attempts: conversions * 2, days: 60 };
}

/** The network's program around the demo data: 4 more merchants, 19 more offers, 199 more affiliates, 600 campaigns. */
const ENTITIES_SQL = `
  insert into organizations (id, name, kind) select 'org_sm_' || i, 'Scale merchant ' || i, 'merchant' from generate_series(1, 4) i;
  insert into organizations (id, name, kind) select 'org_sa_' || i, 'Scale affiliate ' || i, 'affiliate' from generate_series(1, 199) i;
  insert into memberships (id, network_id, affiliate_id, status, decided_at) select 'mem_sa_' || i, 'org_demo_network', 'org_sa_' || i, 'approved', now() from generate_series(1, 199) i;
  insert into offers (id, network_id, merchant_id, name, landing_url, default_payout, default_revenue)
    select 'off_s_' || i, 'org_demo_network', case when i % 5 = 0 then 'org_demo_merchant' else 'org_sm_' || (i % 5) end, 'Scale offer ' || i, 'https://shop.example.com/?c={click_id}', 10, 15
    from generate_series(1, 19) i;
  insert into incoming_endpoints (id, network_id, merchant_id, name, secret_hash, secret_hint)
    select 'end_sm_' || i, 'org_demo_network', 'org_sm_' || i, 'Scale endpoint ' || i, 'unused', '••••' from generate_series(1, 4) i;
  create table bench_scale_campaigns (i int primary key, campaign_id text, link_id text, offer_id text, affiliate_id text, merchant_id text, endpoint_id text);
  insert into bench_scale_campaigns values (0, 'cmp_demo_spring', 'lnk_demo', 'off_demo_summer', 'org_demo_affiliate', 'org_demo_merchant', 'end_demo_acme');
  insert into bench_scale_campaigns (i, campaign_id, link_id, offer_id, affiliate_id)
    select i, 'cmp_s_' || i, 'lnk_s_' || i, 'off_s_' || (1 + i % 19), case when i < 3 then 'org_demo_affiliate' else 'org_sa_' || (1 + i % 199) end from generate_series(1, 599) i;
  update bench_scale_campaigns c set merchant_id = o.merchant_id, endpoint_id = case when o.merchant_id = 'org_demo_merchant' then 'end_demo_acme' else 'end_sm_' || substr(o.merchant_id, 8) end
    from offers o where o.id = c.offer_id and c.i > 0;
  insert into campaigns (id, affiliate_id, offer_id, name) select campaign_id, affiliate_id, offer_id, 'Scale campaign ' || i from bench_scale_campaigns where i > 0;
  insert into tracking_links (id, code, campaign_id, affiliate_id, offer_id) select link_id, 'scale-' || i, campaign_id, affiliate_id, offer_id from bench_scale_campaigns where i > 0;
`;

const postbacksSql = (trackerUrl) => `
  update outgoing_postbacks set url_template = '${trackerUrl}/pb?cid={click_id}&s={status}&tid={txid}';
  insert into outgoing_postbacks (id, owner_org_id, recipient_org_id, name, statuses, url_template)
    select 'pb_s_' || i, 'org_sa_' || i, 'org_sa_' || i, 'Tracker', '{approved,rejected}', '${trackerUrl}/pb?cid={click_id}&s={status}' from generate_series(1, 199) i;
  insert into outgoing_postbacks (id, owner_org_id, recipient_org_id, name, scope, merchant_id, statuses, url_template)
    select 'pb_sn_' || id, 'org_demo_network', id, 'Merchant S2S', 'merchant', id, '{approved,rejected}', '${trackerUrl}/s2s?cid={click_id}&s={status}'
    from organizations where kind = 'merchant';
`;

/**
 * The rows, in time order over the last `days` (row g of n at its share of the range), each
 * click's campaign picked by `campaignOf` (a tenth of all traffic is the demo affiliate's).
 * Secondary indexes are dropped first and built again after, as a bulk load does; user triggers
 * (stats markers, live-log notifications) are off for the load's session.
 */
function rowsSql(v, trackerHost) {
  const at = (g, n, lag = "interval '0 seconds'") => `least(now() - interval '1 minute', now() - interval '${v.days} days' + (${g})::float8 / ${n} * interval '${v.days} days' + ${lag})`;
  const campaignOf = (g) => `(case when (${g}) % 10 = 0 then ((${g}) / 10) % 3 else 3 + (${g}) % 597 end)`;
  // Conversion j is of click g = 10(j-1) + j % 10: the same share of them is the demo affiliate's.
  const clickOf = (j) => `(10 * ((${j}) - 1) + (${j}) % 10)`;
  const statusOf = (j) => `(array['approved', 'approved', 'approved', 'lead', 'rejected', 'approved', 'lead', 'approved', 'approved', 'approved'])[1 + (${j}) % 10]::conversion_status`;
  return [
    ["clicks", `insert into clicks (id, tracking_link_id, campaign_id, offer_id, affiliate_id, network_id, sub1, source, ip, user_agent, country, created_at)
      select 'clk_s' || g, c.link_id, c.campaign_id, c.offer_id, c.affiliate_id, 'org_demo_network', 'sub' || (g % 1000), 'push', '198.51.' || (g % 200) || '.' || (g % 250),
        'Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36', (array['US', 'DE', 'GB', 'FR', 'BR'])[1 + g % 5], ${at("g", v.clicks)}
      from generate_series(1, ${v.clicks}) g join bench_scale_campaigns c on c.i = ${campaignOf("g")}`],
    ["conversions", `insert into conversions (id, click_id, offer_id, campaign_id, network_id, merchant_id, affiliate_id, transaction_id, conversion_key, status, payout, revenue,
        click_ip, click_country, clicked_at, click_source, sub1, created_at, updated_at)
      select 'conv_s' || j, 'clk_s' || ${clickOf("j")}, c.offer_id, c.campaign_id, 'org_demo_network', c.merchant_id, c.affiliate_id, 'tx_s' || j, 'click:clk_s' || ${clickOf("j")},
        ${statusOf("j")}, 10, 15, '198.51.' || (${clickOf("j")} % 200) || '.' || (${clickOf("j")} % 250), 'US', ${at(clickOf("j"), v.clicks)}, 'push', 'sub' || (${clickOf("j")} % 1000),
        ${at(clickOf("j"), v.clicks, "interval '5 minutes'")}, ${at(clickOf("j"), v.clicks, "interval '5 minutes'")}
      from generate_series(1, ${v.conversions}) j join bench_scale_campaigns c on c.i = ${campaignOf(clickOf("j"))}`],
    ["conversion events", `insert into conversion_events (id, conversion_id, kind, to_status, source, payout, revenue, created_at)
      select 'evt_s' || j, 'conv_s' || j, 'created', ${statusOf("j")}, 'incoming_postback', 10, 15, ${at(clickOf("j"), v.clicks, "interval '5 minutes'")}
      from generate_series(1, ${v.conversions}) j`],
    ["incoming log", `insert into incoming_postback_log (id, endpoint_id, network_id, merchant_id, method, params, source_ip, result, http_status, error_code, conversion_id, click_id,
        transaction_id, status, original_status, duration_ms, created_at)
      select 'inc_s' || r, c.endpoint_id, 'org_demo_network', c.merchant_id, 'GET',
        jsonb_build_object('click_id', 'clk_s' || ${clickOf("(r + 1) / 2")}, 'txid', 'tx_s' || (r + 1) / 2, 'status', 'sale'), '203.0.113.7',
        (case when r % 10 = 0 then 'rejected' else 'accepted' end)::incoming_result, case when r % 10 = 0 then 422 else 200 end,
        case when r % 10 = 0 then 'unknown_status' end, case when r % 10 <> 0 then 'conv_s' || (r + 1) / 2 end, 'clk_s' || ${clickOf("(r + 1) / 2")}, 'tx_s' || (r + 1) / 2,
        case when r % 10 <> 0 then ${statusOf("(r + 1) / 2")} end, 'sale', 12, ${at(clickOf("(r + 1) / 2"), v.clicks, "interval '5 minutes' * (1 + r % 2)")}
      from generate_series(1, ${v.incoming}) r join bench_scale_campaigns c on c.i = ${campaignOf(clickOf("(r + 1) / 2"))}`],
    ["deliveries", `insert into deliveries (id, postback_id, conversion_event_id, conversion_id, owner_org_id, recipient_org_id, network_id, destination_host, state, attempts,
        last_status_code, next_attempt_at, last_attempt_at, delivered_at, created_at, updated_at)
      select 'dlv_s' || j, case when j % 2 = 1 then 'pb_sn_' || c.merchant_id when c.affiliate_id = 'org_demo_affiliate' then 'pb_demo_tracker' else 'pb_s_' || substr(c.affiliate_id, 8) end,
        'evt_s' || j, 'conv_s' || j, case when j % 2 = 1 then 'org_demo_network' else c.affiliate_id end, case when j % 2 = 1 then c.merchant_id else c.affiliate_id end,
        'org_demo_network', '${trackerHost}', case when j % 33 = 0 then 'failed' else 'delivered' end::delivery_state, 2, case when j % 33 = 0 then 503 else 200 end,
        t.at, t.at, case when j % 33 <> 0 then t.at end, t.at, t.at
      from generate_series(1, ${v.deliveries}) j join bench_scale_campaigns c on c.i = ${campaignOf(clickOf("j"))}
        cross join lateral (select ${at(clickOf("j"), v.clicks, "interval '6 minutes'")} as at) t`],
    ["delivery attempts", `insert into delivery_attempts (id, delivery_id, postback_id, owner_org_id, recipient_org_id, attempt_number, trigger, method, url, response_status,
        duration_ms, ok, error_class, created_at)
      select 'att_s' || k, d.id, d.postback_id, d.owner_org_id, d.recipient_org_id, 2 - k % 2, case when k % 2 = 1 then 'initial' else 'retry' end::attempt_trigger, 'GET',
        'http://${trackerHost}/pb?cid=' || d.conversion_id, case when k % 2 = 1 or d.state = 'failed' then 503 else 200 end, 40, k % 2 = 0 and d.state <> 'failed',
        case when k % 2 = 1 or d.state = 'failed' then 'non_2xx' end::attempt_error_class, d.created_at + (k % 2) * interval '1 minute' - interval '1 minute'
      from generate_series(1, ${v.attempts}) k join deliveries d on d.id = 'dlv_s' || (k + 1) / 2`],
  ];
}

/**
 * A partition per past week, as an installation running for months has (a fresh database's first
 * partition covers everything before this week): the empty first partition is dropped and the
 * weeks from the first row's on are made.
 */
function weeklyPartitionsSql(days) {
  return ["clicks", "incoming_postback_log", "delivery_attempts"]
    .map(
      (t) => `alter table ${t} detach partition ${t}_legacy; drop table ${t}_legacy;
    do $$ declare week timestamptz := date_trunc('week', (now() - interval '${days + 1} days') at time zone 'UTC') at time zone 'UTC'; first_made timestamptz; begin
      select min(substring(pg_get_expr(c.relpartbound, c.oid) from 'FROM \\(''([^'']+)''')::timestamptz) into first_made
        from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = '${t}'::regclass;
      while week < first_made loop
        execute format('create table %I partition of ${t} for values from (%L) to (%L)', '${t}_w' || to_char(week at time zone 'UTC', 'YYYYMMDD'), week, week + interval '1 week');
        week := week + interval '1 week';
      end loop;
    end $$;`,
    )
    .join("\n");
}

/** Loads the volumes into the migrated, seeded database; returns the seconds each step took. */
async function loadVolumes(sql, v, trackerUrl) {
  const took = {};
  const timed = async (label, run) => {
    const started = performance.now();
    await run();
    took[label] = (performance.now() - started) / 1000;
    log(`  ${label}: ${took[label].toFixed(1)} s`);
  };
  await timed("entities and partitions", () => sql.unsafe(ENTITIES_SQL + postbacksSql(trackerUrl) + weeklyPartitionsSql(v.days)));
  const bigTables = ["clicks", "conversions", "conversion_events", "incoming_postback_log", "deliveries", "delivery_attempts"];
  const secondary = await sql`select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = 'public' and i.tablename in ${sql(bigTables)} and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
  await sql.begin(async (tx) => {
    await tx.unsafe("set local session_replication_role = replica");
    for (const index of secondary) await tx.unsafe(`drop index "${index.name}"`);
    for (const [label, statement] of rowsSql(v, new URL(trackerUrl).host)) await timed(label, () => tx.unsafe(statement));
  });
  // A partitioned table's index reads `ON ONLY` (its partitions' are separate); built on the table, it covers them all.
  await timed("indexes", async () => {
    for (const index of secondary) await sql.unsafe(index.definition.replace(" ON ONLY ", " ON "));
  });
  await sql.unsafe("drop table bench_scale_campaigns");
  await timed("vacuum analyze", () => sql.unsafe("vacuum analyze"));
  return took;
}

/** Waits until the app's rollup job has rolled every network's and affiliate's closed days, and counted its open day's clicks. */
async function waitForRollups(sql, timeoutMs = 900_000) {
  const started = Date.now();
  // lib/reports/rollups.ts: the open day is counted up to the last quarter hour that ended 10 minutes ago.
  const cutoff = sql`to_timestamp(floor(extract(epoch from now() - interval '10 minutes') / 900) * 900)`;
  while (Date.now() - started < timeoutMs) {
    const [{ behind }] = await sql`select count(*)::int as behind from organizations o left join stats_rollup_progress p on p.org_id = o.id
      where o.kind in ('network', 'affiliate') and (p.org_id is null or p.rolled_through < ((now() - interval '10 minutes') at time zone o.time_zone)::date - 1
        or (${cutoff} > ((p.rolled_through + 1)::timestamp at time zone p.time_zone) and p.clicks_open_until is distinct from ${cutoff}))`;
    if (behind === 0) return (Date.now() - started) / 1000;
    await sleep(1000);
  }
  throw new Error("the rollup job did not roll the loaded days in time");
}

/** Signs in with the demo account's password through Auth.js's credentials callback; returns the cookie header. */
export async function signIn(base, email) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = await csrf.json();
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password: DEMO_PASSWORD, callbackUrl: `${base}/` }),
  });
  const session = response.headers.getSetCookie().map((c) => c.split(";")[0]).filter((c) => c.includes("session-token"));
  if (session.length === 0) throw new Error(`signing in as ${email} gave no session (HTTP ${response.status})`);
  return session.join("; ");
}

/** The main pages of each party, with a detail page of each kind and the searches and ranges people use. */
function pagesOf(ids) {
  const day = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const sixtyDays = `from=${day(59)}&to=${day(0)}`;
  return {
    network: [
      "/network", "/network/offers", "/network/offers/off_demo_summer", "/network/merchants", "/network/affiliates", "/network/endpoints", "/network/endpoints/end_demo_acme",
      "/network/conversions", `/network/conversions?after=${encodeURIComponent(ids.networkOlder)}`, "/network/conversions?status=rejected", "/network/conversions?flagged=1",
      `/network/conversions?q=${ids.transactionId}`, `/network/conversions/${ids.conversionId}`, `/find?q=${ids.clickId}`,
      "/network/postbacks", "/network/postbacks/new", "/network/postbacks/pb_sn_org_demo_merchant", "/network/logs", "/network/logs?tab=outgoing", `/network/logs?q=${ids.transactionId}`,
      "/network/logs?result=rejected", "/api/logs/outgoing?format=csv", "/network/stats", `/network/stats?${sixtyDays}`, "/network/api-keys", "/profile",
    ],
    merchant: [
      "/merchant", "/merchant/conversions", `/merchant/conversions?q=${ids.transactionId}`, `/merchant/conversions/${ids.conversionId}`,
      "/merchant/logs", "/merchant/logs?tab=outgoing", "/api/logs/incoming?format=csv", "/merchant/api-keys",
    ],
    affiliate: [
      "/affiliate", "/affiliate/offers", "/affiliate/campaigns", "/affiliate/campaigns/cmp_demo_spring", `/affiliate/conversions/${ids.conversionId}`,
      "/affiliate/postbacks", "/affiliate/postbacks/new", "/affiliate/postbacks/pb_demo_tracker", "/affiliate/logs", `/affiliate/logs?q=${ids.clickId}`, "/api/logs/outgoing?format=csv",
      "/affiliate/stats", `/affiliate/stats?${sixtyDays}`, "/affiliate/api-keys",
    ],
    admin: ["/admin", "/admin/health", "/admin/organizations", "/admin/users"],
  };
}

/** Each page read `samples` times in turn after two warm-up reads; the median and p95 of the whole response. */
async function timePages(base, cookies, pages, samples) {
  const results = [];
  for (const [role, paths] of Object.entries(pages)) {
    for (const path of paths) {
      const times = [];
      let failed = null;
      for (let i = 0; i < samples + 2; i++) {
        const started = performance.now();
        const response = await fetch(`${base}${path}`, { headers: { cookie: cookies[role] }, redirect: "manual" });
        const body = await response.text();
        const ms = performance.now() - started;
        // A search that finds one thing answers with a redirect to it; a redirect to the sign-in page is a failure.
        const location = response.headers.get("location") ?? "";
        const redirected = response.status >= 300 && response.status < 400 && !location.includes("/login");
        if (response.status !== 200 && !redirected) failed = `HTTP ${response.status} ${location} ${body.slice(0, 120)}`;
        if (i >= 2) times.push(ms);
      }
      times.sort((a, b) => a - b);
      const row = { role, path, median: percentile(times, 50), p95: percentile(times, 95), failed };
      log(`  ${role} ${path}: median ${row.median.toFixed(0)} ms, p95 ${row.p95.toFixed(0)} ms${failed ? ` — ${failed}` : ""}`);
      results.push(row);
    }
  }
  return results;
}

/**
 * A live-log reader as the Logs page's EventSource is: it reads the stream, and when the server
 * ends it (each stream lasts at most LOG_STREAM_SECONDS) opens it again from its last event id.
 */
function openStream(base, path, cookie) {
  let rows = 0;
  let lastId = null;
  let closed = false;
  let current = null;
  const connect = () => {
    if (closed) return;
    const headers = { cookie, accept: "text/event-stream", ...(lastId ? { "last-event-id": lastId } : {}) };
    current = request(`${base}${path}`, { headers }, (res) => {
      // Read as lightly as it can be (a browser elsewhere would do the parsing): the events are
      // counted and the last id kept, from each chunk and the end of the one before, without
      // splitting the stream into events. It shares this machine's two cores with the server.
      let tail = "";
      res.on("data", (chunk) => {
        const text = tail + chunk.toString("latin1");
        for (let at = text.indexOf("event: row"); at >= 0; at = text.indexOf("event: row", at + 1)) if (at + 10 > tail.length) rows++;
        const idAt = text.lastIndexOf("\nid: ");
        const idEnd = idAt >= 0 ? text.indexOf("\n", idAt + 5) : -1;
        if (idEnd > 0) lastId = text.slice(idAt + 5, idEnd);
        tail = text.slice(-64);
      });
      res.on("end", () => setTimeout(connect, 1000));
      res.on("error", () => {});
    });
    current.on("error", () => setTimeout(connect, 1000));
    current.end();
  };
  connect();
  return {
    rows: () => rows,
    close() {
      closed = true;
      current?.destroy();
    },
  };
}

/** The 20 open Logs pages: the network's and the merchant's incoming and outgoing, the affiliate's outgoing. */
export function openStreams(base, cookies) {
  const spread = [
    ...Array(5).fill(["network", "incoming"]), ...Array(5).fill(["network", "outgoing"]), ...Array(3).fill(["merchant", "incoming"]),
    ...Array(2).fill(["merchant", "outgoing"]), ...Array(5).fill(["affiliate", "outgoing"]),
  ].slice(0, STREAMS);
  return spread.map(([role, kind]) => openStream(base, `/api/logs/${kind}/stream`, cookies[role]));
}

/**
 * Clicks and postbacks per second with no stream open and with 20, alternating, `rounds` times;
 * the medians, and how many rows the streams were sent (they must be live, not idle).
 */
async function writeLoads(sql, base, cookies, { rounds, seconds, connections, run }) {
  const figures = { clicks: { none: [], streams: [] }, postbacks: { none: [], streams: [] } };
  let nextClick = 1;
  let streamedRows = 0;
  // Each load starts with the relay of the one before finished, so that no load pays for another.
  const drained = async () => {
    while ((await sql`select 1 from deliveries where state = 'pending' limit 1`).length > 0) await sleep(200);
  };
  for (let round = 1; round <= rounds; round++) {
    // Without streams first in odd rounds, with them first in even ones: a drift of the machine's speed falls on both.
    for (const withStreams of round % 2 === 1 ? [false, true] : [true, false]) {
      const streams = withStreams ? openStreams(base, cookies) : [];
      if (withStreams) await sleep(2000);
      const which = withStreams ? "streams" : "none";
      log(`  round ${round}: ${withStreams ? `${STREAMS} open streams` : "no stream"}`);
      await drained();
      const clicks = await load(base, () => "/c/demo-summer?sub1=scale", "302", { seconds, connections });
      const postbacks = await load(base, (n) => `/api/postback/end_demo_acme?token=demo-endpoint-secret&click_id=clk_live_${run}_${nextClick + n}&txid=live-${run}-${nextClick + n}&status=sale`, "200", { seconds, connections });
      nextClick += postbacks.used + 1;
      await drained();
      figures.clicks[which].push(clicks);
      figures.postbacks[which].push(postbacks);
      for (const stream of streams) {
        streamedRows += stream.rows();
        stream.close();
      }
      await sleep(1000);
    }
  }
  const median = (list) => [...list].sort((a, b) => a.rps - b.rps)[Math.floor((list.length - 1) / 2)];
  // The ratio is the median of the rounds' ratios: each round's two loads ran minutes apart at most.
  const ratios = (kind) => figures[kind].none.map((none, i) => figures[kind].streams[i].rps / none.rps).sort((a, b) => a - b);
  const summary = (kind) => ({ none: median(figures[kind].none), streams: median(figures[kind].streams), ratio: ratios(kind)[Math.floor((rounds - 1) / 2)], all: figures[kind] });
  return { clicks: summary("clicks"), postbacks: summary("postbacks"), streamedRows };
}

/**
 * The whole scenario on its own database: load, start, wait for the rollups, pages, write loads.
 * Returns what `scaleReport` prints.
 */
export async function runScale({ admin, serverUrl, next, port, tracker, scale, samples, seconds, connections, rounds, run }) {
  const v = scaleVolumes(scale);
  // BENCH_SCALE_DATABASE names a database a run kept (BENCH_SCALE_KEEP=1): measured again without loading.
  const reused = process.env.BENCH_SCALE_DATABASE;
  const database = reused ? { name: new URL(reused).pathname.slice(1), url: reused } : await freshDatabase(admin, serverUrl, "postline_scale");
  const base = `http://127.0.0.1:${port}`;
  // Attempts are kept as long as the rest here, so that all the loaded ones stay (the default is 30 days).
  const env = appEnvironment(database.url, { RETENTION_DELIVERY_ATTEMPTS_DAYS: "90" });
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  let server = null;
  try {
    let took = {};
    const liveClicks = rounds * 2 * (seconds + 2) * 2_500;
    if (!reused) {
      log(`scale: migrating and seeding ${database.name}`);
      server = start(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], env);
      await waitUntilUp(`${base}/login`);
      await stop(server);
      log(`scale: loading ${v.clicks} clicks, ${v.conversions} conversions, ${v.incoming} incoming log rows, ${v.deliveries} deliveries, ${v.attempts} attempts`);
      took = await loadVolumes(sql, v, tracker.url);
    }
    // Fresh clicks for the postbacks of the write loads, named after the run (a reused database gets
    // its own, its postbacks pointed at this run's tracker and nothing left owed from the last run).
    if (reused) {
      await sql.unsafe(`update outgoing_postbacks set url_template = regexp_replace(url_template, '^http://[^/]+', '${tracker.url}');
        update deliveries set state = 'failed' where state = 'pending'`);
    }
    // Stamped yesterday noon, as clicks are made hours before their conversions (stamped now, the
    // 300,000 of them would make the open day a hundred times busier than the scenario's network),
    // without the stats triggers (as the bulk load): the rollup job counts yesterday from them. A
    // reused database's yesterday is rolled already; its stats then leave them out.
    await sql.begin(async (tx) => {
      await tx.unsafe("set local session_replication_role = replica");
      await tx.unsafe(`update incoming_endpoints set rate_limit_per_minute = 100000000;
        insert into clicks (id, tracking_link_id, campaign_id, offer_id, affiliate_id, network_id, created_at)
          select 'clk_live_${run}_' || g, 'lnk_demo', 'cmp_demo_spring', 'off_demo_summer', 'org_demo_affiliate', 'org_demo_network', date_trunc('day', now()) - interval '12 hours' from generate_series(1, ${liveClicks}) g`);
    });
    await sql.unsafe("analyze clicks");
    const [{ size }] = await sql`select pg_size_pretty(pg_database_size(current_database())) as size`;
    log(`scale: ${size} loaded; starting the product`);
    server = start(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], { ...env, SEED_DEMO: "" });
    await waitUntilUp(`${base}/login`);
    const rollupSeconds = await waitForRollups(sql);
    log(`scale: the rollup job rolled the loaded days in ${rollupSeconds.toFixed(0)} s`);
    const cookies = {};
    for (const role of ["network", "merchant", "affiliate", "admin"]) cookies[role] = await signIn(base, `${role}@demo.postline.dev`);
    const [recent] = await sql`select c.id, c.transaction_id, c.click_id from conversions c where c.affiliate_id = 'org_demo_affiliate' and c.offer_id = 'off_demo_summer' order by c.created_at desc limit 1`;
    // The older page as a person reaches it: the link on the first page.
    const first = await (await fetch(`${base}/network/conversions`, { headers: { cookie: cookies.network } })).text();
    const older = /[?&;]after=([^"&]+)/.exec(first);
    if (!older) throw new Error("the network's conversions page has no link to older conversions");
    const ids = { conversionId: recent.id, transactionId: recent.transaction_id, clickId: recent.click_id, networkOlder: decodeURIComponent(older[1]) };
    log(`scale: pages, ${samples} reads each`);
    const pages = await timePages(base, cookies, pagesOf(ids), samples);
    log(`scale: clicks and postbacks with no live-log stream and with ${STREAMS}`);
    const writes = await writeLoads(sql, base, cookies, { rounds, seconds, connections, run });
    return { volumes: v, size, took, rollupSeconds, samples, pages, writes, seconds, connections, rounds };
  } finally {
    if (server) await stop(server);
    await sql.end();
    // BENCH_SCALE_KEEP=1 leaves the loaded database for a closer look (a profile, EXPLAIN).
    if (process.env.BENCH_SCALE_KEEP === "1" || reused) log(`scale: kept ${database.url}`);
    else await admin.unsafe(`DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
  }
}

/** The scenario's figures as Markdown, with the issue's targets beside them; `ok` says whether every target is met. */
export function scaleReport(r) {
  const n = (x) => x.toLocaleString("en-US");
  const v = r.volumes;
  // The CSV downloads (up to 10,000 rows each) are timed beside the pages, not held to a page's target.
  const isExport = (p) => p.path.startsWith("/api/");
  const pages = r.pages.filter((p) => !isExport(p));
  const shown = (p) => `\`${p.path.replace(/(q|after)=[^&]+/, "$1=…").replace(/from=[^&]+&to=[^&]+/, "60 days")}\``;
  const pageRows = pages.map((p) => `| ${p.role} | ${shown(p)} | ${p.median.toFixed(0)} | ${p.p95.toFixed(0)} | ${p.failed ?? (p.median < 300 && p.p95 < 1000 ? "yes" : "**no**")} |`);
  const exportRows = r.pages.filter(isExport).map((p) => `| ${p.role} | ${shown(p)} | ${p.median.toFixed(0)} | ${p.p95.toFixed(0)} | ${p.failed ?? "answered"} |`);
  const ratio = (w) => w.ratio;
  const rounds = (w) => w.all.none.map((none, i) => `${none.rps.toFixed(0)} → ${w.all.streams[i].rps.toFixed(0)}`).join(" · ");
  const writeRow = (label, w) => `| ${label} | ${w.none.rps.toFixed(0)} | ${w.streams.rps.toFixed(0)} | ${(ratio(w) * 100).toFixed(0)}% | ${rounds(w)} | ${w.none.errors + w.streams.errors} |`;
  const slowest = [...pages].sort((a, b) => b.median - a.median)[0];
  const text = [
    `Loaded: ${n(v.clicks)} clicks, ${n(v.conversions)} conversions, ${n(v.incoming)} incoming log rows, ${n(v.deliveries)} deliveries, ${n(v.attempts)} delivery attempts over ${v.days} days, one network with 200 affiliates, 5 merchants and 20 offers (a tenth of the traffic is the demo affiliate's); ${r.size} on disk. Load ${Object.entries(r.took).map(([k, s]) => `${k} ${s.toFixed(0)} s`).join(", ")}; the app's rollup job then rolled the ${v.days} days in ${r.rollupSeconds.toFixed(0)} s.`,
    `Pages: each read ${r.samples} times in turn (after two warm-up reads) by the party signed in, the whole response timed; target median < 300 ms and p95 < 1 s. Slowest median: \`${slowest.path}\` (${slowest.role}), ${slowest.median.toFixed(0)} ms.`,
    ["| Party | Page | median ms | p95 ms | under target |", "|---|---|---|---|---|", ...pageRows].join("\n"),
    "Exports, timed the same way (the newest 10,000 rows of the party's log as CSV; not a page, so not held to the page target):",
    ["| Party | Export | median ms | p95 ms | |", "|---|---|---|---|---|", ...exportRows].join("\n"),
    `Writes: autocannon, ${r.connections} connections, ${r.seconds} s after a 2 s warm-up, with no live-log stream open and then with ${STREAMS} (the network's, the merchant's and the affiliate's Logs pages, reconnecting from their last event id as EventSource does), alternating, ${r.rounds} rounds; req/s are the medians, the ratio the median of the rounds' ratios; target ≥ 90%. The streams were sent ${n(r.writes.streamedRows)} rows during the loads.`,
    ["| Load | req/s, no stream | req/s, 20 streams | ratio | each round | errors |", "|---|---|---|---|---|---|", writeRow("Clicks (`/c/{code}` 302)", r.writes.clicks), writeRow("Postbacks (with their deliveries)", r.writes.postbacks)].join("\n"),
  ].join("\n\n");
  const ok = pages.every((p) => !p.failed && p.median < 300 && p.p95 < 1000) && ratio(r.writes.clicks) >= 0.9 && ratio(r.writes.postbacks) >= 0.9;
  const failed = r.pages.some((p) => p.failed) || r.writes.clicks.none.errors + r.writes.clicks.streams.errors + r.writes.postbacks.none.errors + r.writes.postbacks.streams.errors > 0;
  return { text, ok, failed };
}
