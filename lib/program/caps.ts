import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { capCounters, type ProgramDecision } from "@/db/schema";

export type CapTerms = {
  id: string;
  goalKey: string | null;
  affiliateId: string | null;
  period: "day" | "week" | "month" | "total";
  metric: "count" | "payout";
  capLimit: string;
  action: "reject" | "hold" | "zero_payout";
};

/** The caps a conversion of `goalKey` by `affiliateId` counts against. */
export function capsFor(caps: readonly CapTerms[], goalKey: string, affiliateId: string): CapTerms[] {
  return caps.filter((c) => (c.goalKey === null || c.goalKey === goalKey) && (c.affiliateId === null || c.affiliateId === affiliateId));
}

/** The period a moment falls in, in the network's time zone: `2026-12-06`, the week's Monday, `2026-12`, or `total`. */
export function periodStart(period: CapTerms["period"], timeZone: string, at: Date): string {
  if (period === "total") return "total";
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  if (period === "month") return `${parts.year}-${parts.month}`;
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  if (period === "day") return day;
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday);
  const monday = new Date(Date.parse(`${day}T00:00:00Z`) - weekday * 86_400_000);
  return `week:${monday.toISOString().slice(0, 10)}`;
}

/**
 * Reserves a conversion's place in each of its caps: one conditional upsert per cap, which adds
 * only while the sum stays within the limit, so concurrent conversions cannot overshoot it. On
 * the first full cap the reservations made are given back, and its decision is returned;
 * otherwise `giveBack` undoes them all (the conversion turned out to exist, or was not written).
 */
export async function reserveCaps(db: Executor, caps: readonly CapTerms[], conversion: { payout: string }, timeZone: string, at: Date) {
  const taken: { capId: string; period: string; amount: string }[] = [];
  const giveBack = async () => {
    for (const t of taken.splice(0)) {
      await db.update(capCounters).set({ used: sql`${capCounters.used} - ${t.amount}::numeric` }).where(and(eq(capCounters.capId, t.capId), eq(capCounters.periodStart, t.period)));
    }
  };
  for (const cap of caps) {
    const amount = cap.metric === "count" ? "1" : conversion.payout;
    const period = periodStart(cap.period, timeZone, at);
    const rows = await db
      .insert(capCounters)
      .select(sql`select ${cap.id}, ${period}, ${amount}::numeric where ${amount}::numeric <= ${cap.capLimit}::numeric` as never)
      .onConflictDoUpdate({
        target: [capCounters.capId, capCounters.periodStart],
        set: { used: sql`${capCounters.used} + excluded.used` },
        setWhere: sql`${capCounters.used} + excluded.used <= ${cap.capLimit}::numeric`,
      })
      .returning({ used: capCounters.used });
    if (rows.length === 0) {
      await giveBack();
      const what = cap.metric === "count" ? `${Number(cap.capLimit)} conversions` : `${cap.capLimit} of payout`;
      const per = cap.period === "total" ? "in total" : `a ${cap.period}`;
      const full: ProgramDecision = { by: "cap", id: cap.id, kind: "cap_reached", action: cap.action, reason: `cap_reached: ${what} ${per} (${period})` };
      return { full, giveBack };
    }
    taken.push({ capId: cap.id, period, amount });
  }
  return { full: null, giveBack };
}
