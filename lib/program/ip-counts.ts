import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { preparedStatement } from "@/db/prepared";
import { ipConversionTimes } from "@/db/schema";
import type { RuleTerms } from "./rules";

const windowOf = (rule: RuleTerms) => rule.windowMinutes ?? 60;

/**
 * Counts a new conversion from `ip` against the offer's per-IP rules, in one autocommitted upsert:
 * its time joins the offer's list for the IP (times past the longest window drop out), and the
 * answer says, per rule, how many conversions came from the IP within the rule's window before it.
 * The upsert locks the row and reads its newest version, so concurrent conversions from one
 * address count one after another, across instances. `giveBack` takes the time out again when no
 * conversion was written (its key existed, or the write failed).
 */
export async function countFromIp(db: Database, offerId: string, ip: string, rules: readonly RuleTerms[]) {
  const statement = preparedStatement(db, "count-from-ip", (name) =>
    db
      .insert(ipConversionTimes)
      .values({ offerId: sql.placeholder("offerId"), ip: sql.placeholder("ip"), times: sql`array[now()]` })
      .onConflictDoUpdate({
        target: [ipConversionTimes.offerId, ipConversionTimes.ip],
        set: { times: sql`array(select t from unnest(${ipConversionTimes.times}) t where t > now() - make_interval(mins => ${sql.placeholder("minutes")}::int)) || now()` },
      })
      // Ages in seconds, oldest first; the last is this conversion's own.
      .returning({ ages: sql<number[]>`array(select extract(epoch from now() - t)::float8 from unnest(${ipConversionTimes.times}) t)`, at: sql<string>`now()::text` })
      .prepare(name),
  );
  const [row] = await statement.execute({ offerId, ip, minutes: Math.max(...rules.map(windowOf)) });
  const before = row.ages.slice(0, -1);
  const counts = Object.fromEntries(rules.map((rule) => [rule.id, before.filter((age) => age < windowOf(rule) * 60).length]));
  const giveBack = async () => {
    const at = sql`${row.at}::timestamptz`;
    await db
      .update(ipConversionTimes)
      .set({ times: sql`${ipConversionTimes.times}[:array_position(${ipConversionTimes.times}, ${at}) - 1] || ${ipConversionTimes.times}[array_position(${ipConversionTimes.times}, ${at}) + 1:]` })
      .where(and(eq(ipConversionTimes.offerId, offerId), eq(ipConversionTimes.ip, ip), sql`array_position(${ipConversionTimes.times}, ${at}) is not null`));
  };
  return { counts, giveBack };
}
