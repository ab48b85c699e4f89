import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { commitWithoutFlushWait, preparedStatement } from "@/db/prepared";
import { ipConversionTimes } from "@/db/schema";
import type { RuleTerms } from "./rules";

const windowOf = (rule: RuleTerms) => rule.windowMinutes ?? 60;

/**
 * Counts a new conversion from `ip` against the offer's per-IP rules, in one autocommitted upsert:
 * its time and key join the offer's list for the IP (entries past the longest window drop out; a
 * key already listed is not listed twice), and the answer says, per rule, how many other
 * conversions came from the IP within the rule's window. The upsert locks the row and reads its
 * newest version, so concurrent conversions from one address count one after another, across
 * instances. The caller counts new conversions only: a status update counts nothing.
 */
export async function countFromIp(db: Database, conversion: { offerId: string; conversionKey: string }, ip: string, rules: readonly RuleTerms[]) {
  const statement = preparedStatement(db, "count-from-ip", (name) => {
    const { times, keys } = ipConversionTimes;
    const key = sql`${sql.placeholder("key")}::text`;
    const kept = sql`from unnest(${times}, ${keys}) with ordinality as x(t, k, o) where x.t > now() - make_interval(mins => ${sql.placeholder("minutes")}::int)`;
    const listed = sql`exists (select 1 ${kept} and x.k = ${key})`;
    // Each rule's window in minutes, in the rules' order: one comma-separated text, bound alike by both drivers.
    const windows = sql`unnest(string_to_array(${sql.placeholder("windows")}::text, ',')::int[]) with ordinality as w(minutes, o)`;
    return db
      .insert(ipConversionTimes)
      .values({ offerId: sql.placeholder("offerId"), ip: sql.placeholder("ip"), times: sql`array[now()]`, keys: sql`array[${key}]` })
      .onConflictDoUpdate({
        target: [ipConversionTimes.offerId, ipConversionTimes.ip],
        set: {
          times: sql`array(select x.t ${kept} order by x.o) || case when ${listed} then '{}'::timestamptz[] else array[now()] end`,
          keys: sql`array(select x.k ${kept} order by x.o) || case when ${listed} then '{}'::text[] else array[${key}] end`,
        },
      })
      .returning({
        // Conversions from one address wait on this row until the upsert commits, not until its WAL
        // is on disk (evaluated on the insert and the update alike).
        flushNotAwaited: commitWithoutFlushWait,
        // Per rule, the other conversions listed within its window.
        counts: sql<number[]>`array(select (select count(*)::int from unnest(${times}, ${keys}) as x(t, k) where x.k is distinct from ${key} and x.t > now() - make_interval(mins => w.minutes)) from ${windows} order by w.o)`,
        appended: sql<boolean>`${times}[cardinality(${times})] = now() and ${keys}[cardinality(${keys})] = ${key}`,
      })
      .prepare(name);
  });
  const { offerId, conversionKey } = conversion;
  const windows = rules.map(windowOf);
  const [row] = await statement.execute({ offerId, ip, key: conversionKey, minutes: Math.max(...windows), windows: windows.join(",") });
  const counts = Object.fromEntries(rules.map((rule, i) => [rule.id, row.counts[i]]));
  /** Takes this conversion's entry out again when its write failed; a conversion made meanwhile by a copy keeps it. */
  const giveBack = async () => {
    if (!row.appended) return;
    const position = sql`array_position(${ipConversionTimes.keys}, ${conversionKey}::text)`;
    await db
      .update(ipConversionTimes)
      .set({
        times: sql`${ipConversionTimes.times}[:${position} - 1] || ${ipConversionTimes.times}[${position} + 1:]`,
        keys: sql`${ipConversionTimes.keys}[:${position} - 1] || ${ipConversionTimes.keys}[${position} + 1:]`,
      })
      .where(and(eq(ipConversionTimes.offerId, offerId), eq(ipConversionTimes.ip, ip), sql`${position} is not null`));
  };
  return { counts, giveBack };
}
