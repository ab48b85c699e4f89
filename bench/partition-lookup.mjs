// What a weekly-partitioned clicks table costs the postback's read of a click by id
// (BENCHMARKS.md, "Retention (issue 21)"): the same rows in one table, in 13 weekly partitions
// read by id alone, and in 13 partitions read by id plus the created_at range the id carries.
// Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/partition-lookup.mjs [rows per week]
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const perWeek = Number(process.argv[2] ?? 100_000);
const WEEKS = 13;
const LOOKUPS = 20_000;
const WEEK_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;

const name = `postline_bench_partitions_${randomBytes(4).toString("hex")}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const sql = postgres(url.toString(), { max: 1, prepare: true, onnotice: () => {} });

const columns = `id text not null, tracking_link_id text not null, offer_id text not null, affiliate_id text not null, network_id text not null,
  sub1 text, ip text, user_agent text, created_at timestamptz not null`;
const monday = new Date(Date.UTC(2026, 11, 7));
const first = new Date(monday.getTime() - (WEEKS - 1) * WEEK_MS);

try {
  await sql.unsafe(`create table plain (${columns}, primary key (id))`);
  await sql.unsafe(`create table parted (${columns}, primary key (id, created_at)) partition by range (created_at)`);
  for (let w = 0; w < WEEKS; w++) {
    const from = new Date(first.getTime() + w * WEEK_MS);
    const to = new Date(from.getTime() + WEEK_MS);
    await sql.unsafe(`create table parted_w${w} partition of parted for values from ('${from.toISOString()}') to ('${to.toISOString()}')`);
  }
  // Ids as createClickId makes them: the millisecond in 6 bytes, then 16 random bytes, base64url.
  const fill = (table) =>
    sql.unsafe(`insert into ${table} select
        'clk_' || translate(rtrim(encode(substring(int8send((extract(epoch from t) * 1000)::bigint) from 3) || uuid_send(gen_random_uuid()), 'base64'), '='), '+/', '-_'),
        'lnk_1', 'off_1', 'org_a', 'org_n', 'spring', '198.51.100.7', 'Mozilla/5.0', t
      from (select '${first.toISOString()}'::timestamptz + (g::float8 * ${WEEK_MS / perWeek}) * interval '1 millisecond' as t
            from generate_series(0, ${WEEKS * perWeek - 1}) g) s`);
  const started = Date.now();
  await fill("parted");
  await sql.unsafe("insert into plain select * from parted");
  await sql.unsafe("analyze");
  console.log(`rows: ${WEEKS * perWeek} (${perWeek} a week, ${WEEKS} weeks), loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const ids = (await sql.unsafe(`select id, created_at from parted tablesample bernoulli (1) limit ${LOOKUPS}`)).map((r) => ({ id: r.id, at: r.created_at }));
  const timeOf = (id) => Buffer.from(id.slice(4, 12), "base64url").readUIntBE(0, 6);
  const range = (id) => [new Date(timeOf(id) - DAY_MS).toISOString(), new Date(timeOf(id) + DAY_MS).toISOString()];

  // PLAN_CACHE_MODE=force_generic_plan: the plan PostgreSQL keeps for a prepared statement after its first runs.
  if (process.env.PLAN_CACHE_MODE) await sql.unsafe(`set plan_cache_mode = ${process.env.PLAN_CACHE_MODE}`);
  const cases = {
    "one table, by id": (id) => sql`select * from plain where id = ${id}`,
    [`${WEEKS} partitions, by id alone`]: (id) => sql`select * from parted where id = ${id}`,
    [`${WEEKS} partitions, by id and the id's time range`]: (id) => {
      const [from, to] = range(id);
      return sql`select * from parted where id = ${id} and created_at >= ${from} and created_at < ${to}`;
    },
  };
  for (const [label, run] of Object.entries(cases)) {
    for (const { id } of ids.slice(0, 500)) await run(id);
    const t0 = process.hrtime.bigint();
    for (const { id } of ids) {
      const rows = await run(id);
      if (rows.length !== 1) throw new Error(`${label}: ${id} not found`);
    }
    const perLookupUs = Number(process.hrtime.bigint() - t0) / 1000 / ids.length;
    console.log(`${label}: ${perLookupUs.toFixed(1)} µs per lookup (${ids.length} lookups, prepared)`);
  }
  const sample = ids[0].id;
  const [from, to] = range(sample);
  for (const [label, text] of [
    ["by id alone", `explain (analyze, buffers, costs off, timing off) select * from parted where id = '${sample}'`],
    ["by id and range", `explain (analyze, buffers, costs off, timing off) select * from parted where id = '${sample}' and created_at >= '${from}' and created_at < '${to}'`],
  ]) {
    const plan = await sql.unsafe(text);
    const lines = plan.map((r) => r["QUERY PLAN"]);
    console.log(`\n${label}: ${lines.filter((l) => /Index Scan|Index Only Scan/.test(l)).length} index scans; ${lines.find((l) => /Execution Time/.test(l))}`);
  }
} finally {
  await sql.end();
  await admin.unsafe(`drop database ${name}`);
  await admin.end();
}
