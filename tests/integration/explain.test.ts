import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/db/client";
import type { Viewer } from "@/lib/access/users";
import { listConversions } from "@/lib/conversions/conversion-queries";
import { changeStatusManually } from "@/lib/conversions/conversions";
import { findConversions } from "@/lib/conversions/find";
import { conversionTimeline } from "@/lib/conversions/timeline";
import { postbackInputSchema } from "@/lib/outgoing/postback-config";
import { dryRunPostback } from "@/lib/outgoing/postback-dry-run";
import { listOwnPostbacks } from "@/lib/outgoing/postbacks";
import { dispatchHealth } from "@/lib/reports/health";
import { changedSince, exportLog, getDeliveryDetail, getIncomingDetail, listIncoming, listOutgoing, liveRowsById, logRowsSince, offersForFilter } from "@/lib/reports/logs";
import { ROLLUP_GRACE, runStatsRollup } from "@/lib/reports/rollups";
import { dailyStats, goalBreakdown, networkBreakdown, parseStatsRange, statsReport } from "@/lib/reports/stats";
import { listAffiliateOffers, listMerchantOffers, listNetworkOffers } from "@/lib/tracking/offers";
import { createServerDatabase, rowsOf, testDriver } from "../helpers/test-db";
import { createWorld, sessionUserFor, type World } from "../helpers/world";

/*
 * Every query a page runs is served by an index: the big tables are filled (two months of several
 * networks' traffic), analyzed, and each page's queries, as the lib functions build them (captured
 * through drizzle's logger), are EXPLAINed with their parameters. A sequential scan of a big table
 * fails the test, naming the page and the query.
 */
const BIG_TABLES = new Set(["clicks", "conversions", "conversion_events", "incoming_postback_log", "deliveries", "delivery_attempts"]);
const WORLDS = 8;
const CLICKS = 80_000;
const CONVERSIONS = 40_000;
const INCOMING = 40_000;
const DELIVERIES = 40_000;
const ATTEMPTS = 40_000;

type Statement = { query: string; params: unknown[] };
const captured: Statement[] = [];
let handle: DatabaseHandle;
let drop = async () => {};
let worlds: World[];

beforeAll(async () => {
  const logger = { logQuery: (query: string, params: unknown[]) => void captured.push({ query, params }) };
  if (process.env.DATABASE_URL) {
    const fresh = await createServerDatabase(process.env.DATABASE_URL);
    handle = createDatabase({ url: fresh.url, logger });
    drop = fresh.drop;
  } else {
    handle = createDatabase({ dataDir: "memory://", logger });
  }
  await handle.migrate();
  worlds = [];
  for (let i = 0; i < WORLDS; i++) worlds.push(await createWorld(handle.db));
  for (const world of worlds) {
    await world.addPostback({ id: `pb_aff_${world.networkId}` });
    await world.addPostback({ id: `pb_net_${world.networkId}`, ownerOrgId: world.networkId, recipientOrgId: world.merchantId, scope: "merchant", merchantId: world.merchantId });
  }
  await fill(handle, worlds);
  // The bulk load wrote every row late, so each left a marker; the job's first run rolls everything.
  await handle.db.execute(sql`truncate stats_stale`);
  await runStatsRollup(handle.db);
}, 180_000);

/** The calendar day `n` days before today (UTC), as the Stats page's range takes it. */
const dayBefore = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

afterAll(async () => {
  await handle.close();
  await drop();
});

/** The world of the g-th row: half of all rows are the first world's (one busy network), the rest spread over all. */
const worldOf = (g: SQL) => sql`(case when ${g} % 2 = 0 then 0 else ${g} % ${WORLDS}::int end)`;

/**
 * The big tables' rows, spread over the worlds and the last 60 days, written by generate_series.
 * Their secondary indexes are dropped first and built again after, as a bulk load does (much
 * faster than one index entry per row); the same definitions, read from pg_indexes.
 */
async function fill(handle: DatabaseHandle, worlds: World[]) {
  const db = handle.db;
  const secondary = rowsOf<{ name: string; definition: string }>(
    await db.execute(sql`select i.indexname as name, i.indexdef as definition from pg_indexes i
      where i.schemaname = 'public' and i.tablename in ('clicks', 'conversions', 'conversion_events', 'incoming_postback_log', 'deliveries', 'delivery_attempts')
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`),
  );
  for (const index of secondary) await db.execute(sql.raw(`drop index "${index.name}"`));
  const values = worlds.map((w, i) => sql`(${i}, ${w.networkId}, ${w.merchantId}, ${w.affiliateId}, ${w.offerId}, ${w.campaignId}, ${w.linkId}, ${w.endpointId})`);
  await db.execute(sql`create temporary table w (i int, network_id text, merchant_id text, affiliate_id text, offer_id text, campaign_id text, link_id text, endpoint_id text)`);
  await db.execute(sql`insert into w values ${sql.join(values, sql`, `)}`);
  const spread = (g: SQL) => sql`now() - ((${g} * 7919) % 5184000) * interval '1 second'`;
  await db.execute(sql`insert into clicks (id, tracking_link_id, campaign_id, offer_id, affiliate_id, network_id, ip, created_at)
    select 'clk_f' || g, w.link_id, w.campaign_id, w.offer_id, w.affiliate_id, w.network_id, '198.51.100.' || (g % 250), ${spread(sql`g`)}
    from generate_series(1, ${CLICKS}::int) g join w on w.i = ${worldOf(sql`g`)}`);
  await db.execute(sql`insert into conversions (id, click_id, offer_id, campaign_id, network_id, merchant_id, affiliate_id, transaction_id, conversion_key, status, payout, revenue, created_at, updated_at)
    select 'conv_f' || g, 'clk_f' || g, w.offer_id, w.campaign_id, w.network_id, w.merchant_id, w.affiliate_id, 'tx_f' || g, 'click:clk_f' || g,
      (array['lead', 'approved', 'approved', 'rejected', 'hold'])[1 + g % 5]::conversion_status, 10, 15, ${spread(sql`g`)}, ${spread(sql`g`)}
    from generate_series(1, ${CONVERSIONS}::int) g join w on w.i = ${worldOf(sql`g`)}`);
  await db.execute(sql`insert into conversion_events (id, conversion_id, kind, to_status, source, created_at)
    select 'evt_f' || g, 'conv_f' || g, 'created', 'approved', 'incoming_postback', ${spread(sql`g`)} from generate_series(1, ${CONVERSIONS}::int) g`);
  await db.execute(sql`insert into incoming_postback_log (id, endpoint_id, network_id, merchant_id, method, params, result, http_status, click_id, transaction_id, conversion_id, status, created_at)
    select 'inc_f' || g, w.endpoint_id, w.network_id, w.merchant_id, 'GET', '{"status":"paid"}'::jsonb,
      (case when g % 10 = 0 then 'rejected' else 'accepted' end)::incoming_result, (case when g % 10 = 0 then 401 else 200 end),
      'clk_f' || (g % ${CONVERSIONS}::int), 'tx_f' || (g % ${CONVERSIONS}::int), case when g % 10 = 0 then null else 'conv_f' || (g % ${CONVERSIONS}::int) end, 'approved', ${spread(sql`g`)}
    from generate_series(1, ${INCOMING}::int) g join w on w.i = ${worldOf(sql`(g % ${CONVERSIONS}::int)`)}`);
  await db.execute(sql`insert into deliveries (id, postback_id, conversion_event_id, conversion_id, owner_org_id, recipient_org_id, network_id, destination_host, state, attempts, last_status_code, next_attempt_at, created_at, updated_at)
    select 'dlv_f' || g, case when g % 2 = 0 then 'pb_aff_' || w.network_id else 'pb_net_' || w.network_id end, 'evt_f' || g, 'conv_f' || g,
      case when g % 2 = 0 then w.affiliate_id else w.network_id end, case when g % 2 = 0 then w.affiliate_id else w.merchant_id end, w.network_id, 'tracker.example.com',
      (array['delivered', 'delivered', 'delivered', 'failed', 'pending'])[1 + g % 5]::delivery_state, 1, 200, ${spread(sql`g`)}, ${spread(sql`g`)}, ${spread(sql`g`)}
    from generate_series(1, ${DELIVERIES}::int) g join w on w.i = ${worldOf(sql`g`)}`);
  await db.execute(sql`insert into delivery_attempts (id, delivery_id, postback_id, owner_org_id, recipient_org_id, attempt_number, trigger, method, url, duration_ms, ok, response_status, created_at)
    select 'att_f' || g, d.id, d.postback_id, d.owner_org_id, d.recipient_org_id, 1, 'initial', 'GET', 'https://tracker.example.com/pb', 40, g % 7 <> 0, 200, d.created_at
    from generate_series(1, ${ATTEMPTS}::int) g join deliveries d on d.id = 'dlv_f' || (1 + g % ${DELIVERIES}::int)`);
  // A partitioned table's index reads `ON ONLY` (its partitions' indexes are separate); built on the table, it covers them all.
  for (const index of secondary) await db.execute(sql.raw(index.definition.replace(" ON ONLY ", " ON ")));
  await db.execute(sql`analyze`);
}

/** The statement's text with its parameters bound again, for EXPLAIN. */
function bind({ query, params }: Statement): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of query.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(query.slice(last, match.index)));
    chunks.push(sql`${params[Number(match[1]) - 1]}`);
    last = match.index! + match[0].length;
  }
  chunks.push(sql.raw(query.slice(last)));
  return sql.join(chunks, sql.raw(""));
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };

function scansOf(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) scansOf(child, out);
  return out;
}

/**
 * The big table each partition belongs to (clicks, the incoming log and attempts are partitioned by
 * week), and the partitions that hold no row: scanning an empty one in full reads nothing.
 */
async function partitionsOfBigTables() {
  const rows = rowsOf<{ partition: string; parent: string; empty: boolean }>(
    await handle.db.execute(sql`select c.relname as partition, p.relname as parent, c.reltuples = 0 as empty
      from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where c.relkind = 'r'`),
  );
  return { parentOf: new Map(rows.map((r) => [r.partition, r.parent])), empty: new Set(rows.filter((r) => r.empty).map((r) => r.partition)) };
}

/** Runs `page` (real lib calls), then EXPLAINs every statement it ran; returns the big tables it scanned sequentially. */
async function seqScansOf(page: () => Promise<unknown>): Promise<{ seqScans: string[]; statements: number }> {
  captured.length = 0;
  await page();
  const statements = captured.splice(0);
  const { parentOf, empty } = await partitionsOfBigTables();
  const seqScans: string[] = [];
  for (const statement of statements) {
    const [row] = rowsOf<Record<string, unknown>>(await handle.db.execute(sql`explain (format json) ${bind(statement)}`));
    const raw = Object.values(row)[0];
    const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
    for (const node of scansOf(plan[0].Plan)) {
      const relation = node["Relation Name"] ?? "";
      const table = parentOf.get(relation) ?? relation;
      if (node["Node Type"] === "Seq Scan" && BIG_TABLES.has(table) && !empty.has(relation)) seqScans.push(`${relation} in: ${statement.query.slice(0, 300)}`);
    }
  }
  captured.length = 0;
  return { seqScans, statements: statements.length };
}

describe(`every page query is served by an index (${testDriver})`, () => {
  const pages: [string, () => Promise<unknown>][] = [];
  const page = (name: string, run: () => Promise<unknown>) => pages.push([name, run]);
  const viewers = () => {
    const w = worlds[3];
    return { w, network: sessionUserFor(w.networkId, "network") as Viewer, merchant: sessionUserFor(w.merchantId, "merchant") as Viewer, affiliate: sessionUserFor(w.affiliateId, "affiliate") as Viewer };
  };
  const olderThanFirst = async (viewer: Viewer, filters = {}) => (await listConversions(handle.db, viewer, { limit: 100, ...filters })).older ?? undefined;

  for (const party of ["network", "merchant", "affiliate"] as const) {
    page(`conversions of a ${party}`, () => listConversions(handle.db, viewers()[party], { limit: 100 }));
    page(`conversions of a ${party}, older page`, async () => listConversions(handle.db, viewers()[party], { limit: 100, after: await olderThanFirst(viewers()[party]) }));
    page(`conversions of a ${party}, filtered by status and goal`, () => listConversions(handle.db, viewers()[party], { limit: 100, status: "rejected", goal: "default" }));
    page(`conversions of a ${party}, an id searched`, () => listConversions(handle.db, viewers()[party], { limit: 100, q: `tx_f${3 + WORLDS * 10}` }));
    page(`outgoing log of a ${party}`, () => listOutgoing(handle.db, viewers()[party], {}, { limit: 50 }));
    page(`outgoing log of a ${party}, older page`, () => listOutgoing(handle.db, viewers()[party], {}, { limit: 50, before: 20_000 }));
    page(`outgoing log of a ${party}, an id searched`, () => listOutgoing(handle.db, viewers()[party], { q: `clk_f${3 + WORLDS * 10}` }, { limit: 50 }));
    page(`outgoing log of a ${party}, by state and code`, () => listOutgoing(handle.db, viewers()[party], { result: "failed", codeClass: "2xx" }, { limit: 50 }));
    page(`outgoing CSV of a ${party}`, () => exportLog(handle.db, "outgoing", viewers()[party], {}, 10_000));
    page(`outgoing stream catch-up of a ${party}`, () => logRowsSince(handle.db, "outgoing", viewers()[party], {}, { since: new Date(Date.now() - 30_000) }, 200));
    page(`delivery detail for a ${party}`, () => getDeliveryDetail(handle.db, viewers()[party], `dlv_f${3 + WORLDS * 10}`));
    page(`offers for a ${party}'s log filter`, () => offersForFilter(handle.db, viewers()[party]));
  }
  for (const party of ["network", "merchant"] as const) {
    page(`incoming log of a ${party}`, () => listIncoming(handle.db, viewers()[party], {}, { limit: 50 }));
    page(`incoming log of a ${party}, older page`, () => listIncoming(handle.db, viewers()[party], {}, { limit: 50, before: 30_000 }));
    page(`incoming log of a ${party}, an id searched`, () => listIncoming(handle.db, viewers()[party], { q: `tx_f${3 + WORLDS * 10}` }, { limit: 50 }));
    page(`incoming log of a ${party}, rejected only`, () => listIncoming(handle.db, viewers()[party], { result: "rejected", codeClass: "4xx" }, { limit: 50 }));
    page(`incoming CSV of a ${party}`, () => exportLog(handle.db, "incoming", viewers()[party], {}, 10_000));
    page(`incoming stream catch-up of a ${party}`, () => logRowsSince(handle.db, "incoming", viewers()[party], {}, { since: new Date(Date.now() - 30_000) }, 200));
    page(`incoming detail for a ${party}`, () => getIncomingDetail(handle.db, viewers()[party], `inc_f${3 + WORLDS * 10}`));
  }
  page("the live-log watcher's reads", async () => {
    for (const kind of ["incoming", "outgoing"] as const) {
      const changed = await changedSince(handle.db, kind, { since: new Date(Date.now() - 3_000) }, 500);
      await liveRowsById(handle.db, kind, [...changed.map((c) => c.id), kind === "incoming" ? "inc_f11" : "dlv_f11"]);
    }
  });
  page("finding a conversion by any id", () => findConversions(handle.db, viewers().network, "clk_f19"));
  for (const party of ["network", "merchant", "affiliate"] as const) {
    page(`a conversion's timeline for a ${party}`, () => conversionTimeline(handle.db, viewers()[party], `conv_f${3 + WORLDS * 10}`));
    page(`finding a ${party}'s conversion by a transaction id, then a delivery id`, async () => {
      await findConversions(handle.db, viewers()[party], `tx_f${3 + WORLDS * 10}`);
      await findConversions(handle.db, viewers()[party], `dlv_f${3 + WORLDS * 10}`);
    });
  }
  page("the dry run of an affiliate's postback", () =>
    dryRunPostback(handle.db, viewers().affiliate, { id: `pb_aff_${viewers().w.networkId}`, draft: postbackInputSchema.parse({ name: "x", scope: "all", statuses: ["approved"], urlTemplate: "http://127.0.0.1/pb?c={click_id}" }) }, { allowedAddresses: ["127.0.0.1"] }),
  );
  page("the dry run of a network's postback to a merchant", () => {
    const { w, network } = viewers();
    const draft = postbackInputSchema.parse({ name: "x", scope: "merchant", merchantId: w.merchantId, statuses: ["approved"], urlTemplate: "http://127.0.0.1/pb?c={click_id}" });
    return dryRunPostback(handle.db, network, { id: `pb_net_${w.networkId}`, draft }, { allowedAddresses: ["127.0.0.1"] });
  });
  // Stats of the busy network (more than half of every big table): past days from the rollups, today from raw rows.
  const busy = () => ({ w: worlds[0], network: sessionUserFor(worlds[0].networkId, "network") as Viewer, affiliate: sessionUserFor(worlds[0].affiliateId, "affiliate") as Viewer });
  for (const [span, from] of [["14 days", undefined], ["a year", dayBefore(365)]] as const) {
    page(`network stats over ${span}`, async () => {
      const { network, w } = busy();
      const range = parseStatsRange({ from });
      // The page's one read of every breakdown, and the API's reads of each.
      await statsReport(handle.db, network, range);
      await Promise.all([dailyStats(handle.db, network, range), goalBreakdown(handle.db, network, range), networkBreakdown(handle.db, w.networkId, "offer", range), networkBreakdown(handle.db, w.networkId, "affiliate", range)]);
    });
    page(`affiliate stats over ${span}`, async () => {
      const range = parseStatsRange({ from });
      await statsReport(handle.db, busy().affiliate, range);
      await Promise.all([dailyStats(handle.db, busy().affiliate, range), goalBreakdown(handle.db, busy().affiliate, range)]);
    });
  }
  page("network stats with a late status change not yet refreshed", async () => {
    const { network } = busy();
    await changeStatusManually(handle.db, { orgId: network.orgId }, "conv_f12", "rejected");
    await dailyStats(handle.db, network, parseStatsRange({ from: dayBefore(30) }));
  });
  page("the stats rollup job: a day that closed, and days late changes marked", async () => {
    const { network } = busy();
    await changeStatusManually(handle.db, { orgId: network.orgId }, "conv_f30004", "rejected");
    await handle.db.execute(sql`update stats_rollup_progress set rolled_through = rolled_through - 1 where org_id = ${network.orgId}`);
    const { staleMarkers } = await runStatsRollup(handle.db);
    expect(staleMarkers).toBeGreaterThan(0);
    // Rolled again through the last day closed (the network's days are UTC's).
    const [progress] = rowsOf<{ current: boolean }>(
      await handle.db.execute(sql`select rolled_through = ((now() - ${ROLLUP_GRACE}::interval) at time zone 'UTC')::date - 1 as current from stats_rollup_progress where org_id = ${network.orgId}`),
    );
    expect(progress.current).toBe(true);
  });
  page("offers and postbacks lists", async () => {
    const { w } = viewers();
    await Promise.all([listNetworkOffers(handle.db, w.networkId), listAffiliateOffers(handle.db, w.affiliateId), listMerchantOffers(handle.db, w.merchantId), listOwnPostbacks(handle.db, w.networkId), listOwnPostbacks(handle.db, w.affiliateId)]);
  });
  page("dispatch health", () => dispatchHealth(handle.db));

  it("fills the big tables", async () => {
    const [row] = rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from incoming_postback_log`));
    expect(row.n).toBe(INCOMING);
  });

  it.each(pages.map(([name, run]) => ({ name, run })))("$name", async ({ run }) => {
    const { seqScans, statements } = await seqScansOf(run);
    expect(statements).toBeGreaterThan(0);
    expect(seqScans).toEqual([]);
  }, 30_000);

  it("fails a query that no index serves (the check itself)", async () => {
    const { seqScans } = await seqScansOf(() => handle.db.execute(sql`select count(*) from incoming_postback_log where params->>'status' = 'paid'`));
    expect(seqScans).toHaveLength(1);
  });
});
