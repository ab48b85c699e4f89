import { type AnyColumn, and, eq, gte, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { clicks, conversions, offers, organizations } from "@/db/schema";
import type { Viewer } from "@/lib/access/users";
import { AppError } from "@/lib/platform/errors";

const DAY_MS = 86_400_000;
export const DEFAULT_STATS_DAYS = 14;
/** A year and a day: a leap year fits, and the zero-filled series stays small. */
export const MAX_STATS_DAYS = 366;

/** Days, both ends included, as `YYYY-MM-DD`, counted in `timeZone` (an IANA zone; UTC when absent). */
export type StatsRange = { from: string; to: string; timeZone?: string };

const dayText = (time: number) => new Date(time).toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
const isoDay = z.iso.date();

/**
 * The range a Stats page or API call asks for (`from`, `to`): `to` is today in the range's time
 * zone and `from` 13 days before `to` unless given. A date that is not one, a start after the end
 * or more than 366 days is a 422 naming the field.
 */
export function parseStatsRange(params: { from?: string; to?: string; timeZone?: string }, now = new Date()): StatsRange {
  const from = params.from?.trim() || undefined;
  const to = params.to?.trim() || undefined;
  for (const [field, value] of [["from", from], ["to", to]] as const) {
    if (value !== undefined && !isoDay.safeParse(value).success) throw new AppError("invalid_input", "errors.reports.notADate", { field, values: { value } });
  }
  const end = to ?? todayIn(params.timeZone ?? "UTC", now);
  const start = from ?? dayText(dayStart(end) - (DEFAULT_STATS_DAYS - 1) * DAY_MS);
  if (dayStart(start) > dayStart(end)) throw new AppError("invalid_input", "errors.reports.startAfterEnd", { field: "from" });
  if (daysIn({ from: start, to: end }) > MAX_STATS_DAYS) throw new AppError("invalid_input", "errors.reports.tooManyDays", { field: "from", values: { max: MAX_STATS_DAYS } });
  return { from: start, to: end, ...(params.timeZone ? { timeZone: params.timeZone } : {}) };
}

/** The calendar date in a zone, as `YYYY-MM-DD` (the en-CA format is ISO's). */
function todayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function daysIn(range: StatsRange): number {
  return Math.round((dayStart(range.to) - dayStart(range.from)) / DAY_MS) + 1;
}

/**
 * The half-open instant range of the days, for `created_at >= since and created_at < until`: each
 * day's midnight in the range's time zone, computed by the database (it knows the zone's rules).
 */
function instants(range: StatsRange) {
  if (daysIn(range) > MAX_STATS_DAYS || daysIn(range) < 1) throw new AppError("invalid_input", "errors.reports.dayRange", { field: "from", values: { max: MAX_STATS_DAYS } });
  const zone = range.timeZone ?? "UTC";
  const until = dayText(dayStart(range.to) + DAY_MS);
  return { since: sql`(${range.from}::date)::timestamp at time zone ${zone}`, until: sql`(${until}::date)::timestamp at time zone ${zone}`, zone };
}

/** The calendar day of a time in the range's zone. */
const dayOf = (column: AnyColumn, zone: string) => sql<string>`to_char(${column} at time zone ${zone}, 'YYYY-MM-DD')`;

export type DayStats = { day: string; clicks: number; leads: number; approved: number; rejected: number; payout: number; revenue: number };

function scopeFor(viewer: Viewer) {
  return viewer.orgKind === "network"
    ? { clicks: eq(clicks.networkId, viewer.orgId), conversions: eq(conversions.networkId, viewer.orgId) }
    : { clicks: eq(clicks.affiliateId, viewer.orgId), conversions: eq(conversions.affiliateId, viewer.orgId) };
}

/** Clicks and conversions per day of the range (in its time zone), zero-filled. */
export async function dailyStats(db: Executor, viewer: Viewer, range: StatsRange): Promise<DayStats[]> {
  const { since, until, zone } = instants(range);
  const scope = scopeFor(viewer);
  const day = (column: AnyColumn) => dayOf(column, zone);
  const [clickRows, conversionRows] = await Promise.all([
    db
      .select({ day: day(clicks.createdAt), clicks: sql<number>`count(*)::int` })
      .from(clicks)
      .where(and(scope.clicks, gte(clicks.createdAt, since), lt(clicks.createdAt, until)))
      .groupBy(sql`1`),
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
      .where(and(scope.conversions, gte(conversions.createdAt, since), lt(conversions.createdAt, until)))
      .groupBy(sql`1`),
  ]);
  const clicksByDay = new Map(clickRows.map((r) => [r.day, r]));
  const conversionsByDay = new Map(conversionRows.map((r) => [r.day, r]));
  const out: DayStats[] = [];
  for (let i = 0; i < daysIn(range); i++) {
    const date = dayText(dayStart(range.from) + i * DAY_MS);
    const c = clicksByDay.get(date);
    const v = conversionsByDay.get(date);
    out.push({ day: date, clicks: c?.clicks ?? 0, leads: v?.leads ?? 0, approved: v?.approved ?? 0, rejected: v?.rejected ?? 0, payout: Number(v?.payout ?? 0), revenue: Number(v?.revenue ?? 0) });
  }
  return out;
}

export type BreakdownRow = { id: string; name: string; clicks: number; conversions: number; approved: number; payout: number; revenue: number };

/** A network's totals per offer or per affiliate over the range's days. */
export async function networkBreakdown(db: Executor, networkId: string, by: "offer" | "affiliate", range: StatsRange): Promise<BreakdownRow[]> {
  const { since, until } = instants(range);
  const clickKey = by === "offer" ? clicks.offerId : clicks.affiliateId;
  const conversionKey = by === "offer" ? conversions.offerId : conversions.affiliateId;
  const [clickRows, conversionRows, names] = await Promise.all([
    db.select({ id: clickKey, clicks: sql<number>`count(*)::int` }).from(clicks).where(and(eq(clicks.networkId, networkId), gte(clicks.createdAt, since), lt(clicks.createdAt, until))).groupBy(clickKey),
    db
      .select({
        id: conversionKey,
        conversions: sql<number>`count(*)::int`,
        approved: sql<number>`count(*) filter (where ${conversions.status} = 'approved')::int`,
        payout: sql<string>`coalesce(sum(${conversions.payout}) filter (where ${conversions.status} = 'approved'), 0)`,
        revenue: sql<string>`coalesce(sum(${conversions.revenue}) filter (where ${conversions.status} = 'approved'), 0)`,
      })
      .from(conversions)
      .where(and(eq(conversions.networkId, networkId), gte(conversions.createdAt, since), lt(conversions.createdAt, until)))
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

export type GoalRow = { goal: string; conversions: number; approved: number; payout: number; revenue: number | null };

/** Conversions and money per goal in the range, for any party; an affiliate never sees revenue. */
export async function goalBreakdown(db: Executor, viewer: Viewer, range: StatsRange): Promise<GoalRow[]> {
  const { since, until } = instants(range);
  const rows = await db
    .select({
      goal: conversions.goalKey,
      conversions: sql<number>`count(*)::int`,
      approved: sql<number>`count(*) filter (where ${conversions.status} = 'approved')::int`,
      payout: sql<string>`coalesce(sum(${conversions.payout}) filter (where ${conversions.status} = 'approved'), 0)`,
      revenue: sql<string>`coalesce(sum(${conversions.revenue}) filter (where ${conversions.status} = 'approved'), 0)`,
    })
    .from(conversions)
    .where(and(scopeFor(viewer).conversions, gte(conversions.createdAt, since), lt(conversions.createdAt, until)))
    .groupBy(conversions.goalKey)
    .orderBy(conversions.goalKey);
  return rows.map((r) => ({ ...r, payout: Number(r.payout), revenue: viewer.orgKind === "affiliate" ? null : Number(r.revenue) }));
}
