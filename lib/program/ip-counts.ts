import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { preparedStatement } from "@/db/prepared";
import { conversions, ipConversionTimes } from "@/db/schema";
import type { RuleTerms } from "./rules";

const windowOf = (rule: RuleTerms) => rule.windowMinutes ?? 60;

/**
 * Counts a new conversion from `ip` against the offer's per-IP rules, in one autocommitted upsert:
 * its time and key join the offer's list for the IP (entries past the longest window drop out; a
 * key already listed is not listed twice), and the answer says, per rule, how many other
 * conversions came from the IP within the rule's window. The upsert locks the row and reads its
 * newest version, so concurrent conversions from one address count one after another, across
 * instances. Null when a conversion with this key exists already: a status update counts nothing.
 */
export async function countFromIp(db: Database, conversion: { offerId: string; conversionKey: string }, ip: string, rules: readonly RuleTerms[]) {
  const exists = preparedStatement(db, "conversion-key-exists", (name) =>
    db
      .select({ id: conversions.id })
      .from(conversions)
      .where(and(eq(conversions.offerId, sql.placeholder("offerId")), eq(conversions.conversionKey, sql.placeholder("key"))))
      .prepare(name),
  );
  if ((await exists.execute({ offerId: conversion.offerId, key: conversion.conversionKey })).length > 0) return null;
  const statement = preparedStatement(db, "count-from-ip", (name) => {
    const { times, keys } = ipConversionTimes;
    const key = sql`${sql.placeholder("key")}::text`;
    const kept = sql`from unnest(${times}, ${keys}) with ordinality as x(t, k, o) where x.t > now() - make_interval(mins => ${sql.placeholder("minutes")}::int)`;
    const listed = sql`exists (select 1 ${kept} and x.k = ${key})`;
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
        // Ages in seconds of every listed conversion, in the order of `keys`.
        ages: sql<number[]>`array(select extract(epoch from now() - t)::float8 from unnest(${times}) t)`,
        keys,
        at: sql<string>`now()::text`,
        appended: sql<boolean>`${times}[cardinality(${times})] = now() and ${keys}[cardinality(${keys})] = ${key}`,
      })
      .prepare(name);
  });
  const { offerId, conversionKey } = conversion;
  const [row] = await statement.execute({ offerId, ip, key: conversionKey, minutes: Math.max(...rules.map(windowOf)) });
  const others = row.ages.filter((_, i) => row.keys[i] !== conversionKey);
  const counts = Object.fromEntries(rules.map((rule) => [rule.id, others.filter((age) => age < windowOf(rule) * 60).length]));
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
