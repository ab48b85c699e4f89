import { and, eq, gte, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { clicks, conversions, offers, organizations } from "@/db/schema";
import type { SessionUser } from "@/lib/access/users";

export type DayStats = { day: string; clicks: number; leads: number; approved: number; rejected: number; payout: number; revenue: number };

function scopeFor(viewer: SessionUser) {
  return viewer.orgKind === "network"
    ? { clicks: eq(clicks.networkId, viewer.orgId), conversions: eq(conversions.networkId, viewer.orgId) }
    : { clicks: eq(clicks.affiliateId, viewer.orgId), conversions: eq(conversions.affiliateId, viewer.orgId) };
}

/** Clicks and conversions per UTC day over the last `days` days, zero-filled. */
export async function dailyStats(db: Executor, viewer: SessionUser, days = 14): Promise<DayStats[]> {
  const since = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - (days - 1)));
  const scope = scopeFor(viewer);
  const day = (column: typeof clicks.createdAt | typeof conversions.createdAt) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`;
  const [clickRows, conversionRows] = await Promise.all([
    db.select({ day: day(clicks.createdAt), clicks: sql<number>`count(*)::int` }).from(clicks).where(and(scope.clicks, gte(clicks.createdAt, since))).groupBy(sql`1`),
    db
      .select({
        day: day(conversions.createdAt),
        leads: sql<number>`count(*)::int`,
        approved: sql<number>`count(*) filter (where ${conversions.status} = 'approved')::int`,
        rejected: sql<number>`count(*) filter (where ${conversions.status} = 'rejected')::int`,
        payout: sql<string>`coalesce(sum(${conversions.payout}) filter (where ${conversions.status} = 'approved'), 0)`,
        revenue: sql<string>`coalesce(sum(${conversions.revenue}) filter (where ${conversions.status} = 'approved'), 0)`,
      })
      .from(conversions)
      .where(and(scope.conversions, gte(conversions.createdAt, since)))
      .groupBy(sql`1`),
  ]);
  const out: DayStats[] = [];
  for (let i = 0; i < days; i++) {
    const date = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const c = clickRows.find((r) => r.day === date);
    const v = conversionRows.find((r) => r.day === date);
    out.push({ day: date, clicks: c?.clicks ?? 0, leads: v?.leads ?? 0, approved: v?.approved ?? 0, rejected: v?.rejected ?? 0, payout: Number(v?.payout ?? 0), revenue: Number(v?.revenue ?? 0) });
  }
  return out;
}

export type BreakdownRow = { id: string; name: string; clicks: number; conversions: number; approved: number; payout: number; revenue: number };

/** A network's totals per offer or per affiliate over the last `days` days. */
export async function networkBreakdown(db: Executor, networkId: string, by: "offer" | "affiliate", days = 30): Promise<BreakdownRow[]> {
  const since = new Date(Date.now() - days * 86_400_000);
  const clickKey = by === "offer" ? clicks.offerId : clicks.affiliateId;
  const conversionKey = by === "offer" ? conversions.offerId : conversions.affiliateId;
  const [clickRows, conversionRows, names] = await Promise.all([
    db.select({ id: clickKey, clicks: sql<number>`count(*)::int` }).from(clicks).where(and(eq(clicks.networkId, networkId), gte(clicks.createdAt, since))).groupBy(clickKey),
    db
      .select({
        id: conversionKey,
        conversions: sql<number>`count(*)::int`,
        approved: sql<number>`count(*) filter (where ${conversions.status} = 'approved')::int`,
        payout: sql<string>`coalesce(sum(${conversions.payout}) filter (where ${conversions.status} = 'approved'), 0)`,
        revenue: sql<string>`coalesce(sum(${conversions.revenue}) filter (where ${conversions.status} = 'approved'), 0)`,
      })
      .from(conversions)
      .where(and(eq(conversions.networkId, networkId), gte(conversions.createdAt, since)))
      .groupBy(conversionKey),
    by === "offer"
      ? db.select({ id: offers.id, name: offers.name }).from(offers).where(eq(offers.networkId, networkId))
      : db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.kind, "affiliate")),
  ]);
  const ids = new Set([...clickRows.map((r) => r.id), ...conversionRows.map((r) => r.id)]);
  return [...ids]
    .map((id) => {
      const c = clickRows.find((r) => r.id === id);
      const v = conversionRows.find((r) => r.id === id);
      return { id, name: names.find((n) => n.id === id)?.name ?? id, clicks: c?.clicks ?? 0, conversions: v?.conversions ?? 0, approved: v?.approved ?? 0, payout: Number(v?.payout ?? 0), revenue: Number(v?.revenue ?? 0) };
    })
    .sort((a, b) => b.revenue - a.revenue || b.clicks - a.clicks);
}
