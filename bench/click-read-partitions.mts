// The postback's real read of its click (readClick's statement, captured from drizzle's logger) on a
// clicks table of 13 past weekly partitions: by id alone (what readClick does) and with the
// created_at range a time-carrying id would give, under PostgreSQL's default plan cache and a
// forced generic plan (BENCHMARKS.md, "Retention (issue 21)").
// Usage: npx tsx bench/click-read-partitions.mts [clicks per week]
import postgres from "postgres";
import { sql as dsql } from "drizzle-orm";
import { createDatabase } from "@/db/client";
import { createServerDatabase } from "../tests/helpers/test-db";
import { createWorld } from "../tests/helpers/world";
import { maintainPartitions, weekStart } from "@/lib/platform/retention";
import { convertClick } from "@/lib/conversions/conversions";

const captured: { query: string; params: unknown[] }[] = [];
const fresh = await createServerDatabase(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test", "postline_bench_rc");
const handle = createDatabase({ url: fresh.url, logger: { logQuery: (query, params) => void captured.push({ query, params }) } });
try {
  await handle.migrate();
  const db = handle.db;
  for (const t of ["clicks", "incoming_postback_log", "delivery_attempts"]) {
    await db.execute(dsql.raw(`alter table ${t} detach partition ${t}_legacy`));
    await db.execute(dsql.raw(`drop table ${t}_legacy`));
  }
  const W = 7 * 86_400_000;
  const first = new Date(weekStart(new Date()).getTime() - 12 * W);
  await maintainPartitions(db, { days: { clicks: 3650, incoming_postback_log: 3650, delivery_attempts: 3650 }, weeksAhead: 13 }, first);
  const world = await createWorld(db);
  const perWeek = Number(process.argv[2] ?? 100000);
  await db.execute(dsql.raw(`insert into clicks (id, tracking_link_id, campaign_id, offer_id, affiliate_id, network_id, sub1, ip, created_at) select
      'clk_' || translate(rtrim(encode(substring(int8send((extract(epoch from t) * 1000)::bigint) from 3) || uuid_send(gen_random_uuid()), 'base64'), '='), '+/', '-_'),
      '${world.linkId}', '${world.campaignId}', '${world.offerId}', '${world.affiliateId}', '${world.networkId}', 'spring', '198.51.100.7', t
    from (select '${first.toISOString()}'::timestamptz + (g::float8 * ${W / perWeek}) * interval '1 millisecond' as t from generate_series(0, ${13 * perWeek - 1}) g) s`));
  await db.execute(dsql`analyze`);
  const parts = await db.execute(dsql`select count(*)::int as n from pg_inherits where inhparent = 'clicks'::regclass`);
  console.log(`click partitions: ${JSON.stringify(parts)}, ${13 * perWeek} clicks`);
  const one = await db.execute(dsql`select id from clicks limit 1`);
  captured.length = 0;
  await convertClick(db, { request: { clickId: (one as unknown as { id: string }[])[0].id, owner: { affiliateId: world.affiliateId }, ids: {}, status: "lead", details: {} }, context: { source: "lead_api" } }).catch(() => null);
  const read = captured.find((c) => c.query.includes('from "clicks"'))!;
  const alone = read.query;
  const ranged = read.query.replace(/where "clicks"\."id" = \$1$/, 'where ("clicks"."id" = $1 and "clicks"."created_at" >= $2 and "clicks"."created_at" < $3)');
  if (alone === ranged) throw new Error("the read's shape changed");
  const client = postgres(fresh.url, { max: 1, prepare: true, onnotice: () => {} });
  const ids = (await client.unsafe(`select id from clicks tablesample bernoulli (0.5) limit 5000`)).map((r) => r.id as string);
  const range = (id: string) => { const t = Buffer.from(id.slice(4, 12), "base64url").readUIntBE(0, 6); return [new Date(t - 86_400_000).toISOString(), new Date(t + 86_400_000).toISOString()]; };
  for (const mode of ["auto", "force_generic_plan"]) {
    await client.unsafe(`set plan_cache_mode = ${mode}`);
    for (const [label, text, params] of [["by id and range", ranged, (id: string) => [id, ...range(id)]], ["by id alone", alone, (id: string) => [id]]] as const) {
      for (const id of ids.slice(0, 300)) await client.unsafe(text, params(id) as never, { prepare: true });
      const t0 = process.hrtime.bigint();
      for (const id of ids) { const r = await client.unsafe(text, params(id) as never, { prepare: true }); if (r.length !== 1) throw new Error("missing " + id); }
      console.log(`${mode} ${label}: ${(Number(process.hrtime.bigint() - t0) / 1000 / ids.length).toFixed(1)} µs (${ids.length})`);
    }
  }
  await client.end();
} finally {
  await handle.close();
  await fresh.drop();
}
