import { type AnyColumn, and, eq, gte, lte, notInArray, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { clicks, conversions, offers, organizations, statsClicksDaily, statsConversionsDaily, statsRollupProgress, statsStale } from "@/db/schema";
import type { Viewer } from "@/lib/access/users";
import { AppError } from "@/lib/platform/errors";
import { ownRows, withinDays } from "./rollups";

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

/** Refuses a range the series cannot hold (parseStatsRange's ranges always fit). */
function checked(range: StatsRange): StatsRange & { timeZone: string } {
  if (daysIn(range) > MAX_STATS_DAYS || daysIn(range) < 1) throw new AppError("invalid_input", "errors.reports.dayRange", { field: "from", values: { max: MAX_STATS_DAYS } });
  return { ...range, timeZone: range.timeZone ?? "UTC" };
}

const nextDay = (day: string) => dayText(dayStart(day) + DAY_MS);

/** The calendar day of a time in the range's zone. */
const dayOf = (column: AnyColumn, zone: string) => sql<string>`to_char(${column} at time zone ${zone}, 'YYYY-MM-DD')`;
const rolledDay = (column: AnyColumn) => sql<string>`to_char(${column}, 'YYYY-MM-DD')`;

/** Where one kind of row (clicks or conversions) of the range is counted: rolled days from the rollup, the rest from raw rows. */
type Source = { rolled: ((table: typeof statsClicksDaily | typeof statsConversionsDaily) => SQL) | null; raw: ((column: AnyColumn) => SQL) | null };

/**
 * Splits the range's days between the rollups and the raw rows (lib/reports/rollups.ts). Rolled
 * days are those up to the organization's `rolled_through`, less the days a late change left a
 * marker on; the rest (the open day, the days the job has not reached, the marked ones) are counted
 * from raw rows, so the answer is the raw rows' at any moment. A range asked in another zone than
 * the one the rollups were made in (the API takes any zone) is counted from raw rows alone: a day
 * of one zone is no sum of days of another.
 */
async function sourcesFor(db: Executor, org: { id: string; kind: "network" | "affiliate" }, range: StatsRange & { timeZone: string }): Promise<Record<"clicks" | "conversions", Source>> {
  const zone = range.timeZone;
  const markerDay = sql<string>`to_char(${statsStale.at} at time zone ${zone}, 'YYYY-MM-DD')`;
  const ofOrg = org.kind === "network" ? eq(statsStale.networkId, org.id) : eq(statsStale.affiliateId, org.id);
  const [progress] = await db
    .select({
      timeZone: statsRollupProgress.timeZone,
      rolledThrough: sql<string>`${statsRollupProgress.rolledThrough}::text`,
      stale: sql<string[]>`(select coalesce(json_agg(distinct ${statsStale.kind} || ' ' || ${markerDay}), '[]'::json) from ${statsStale} where ${ofOrg})`,
    })
    .from(statsRollupProgress)
    .where(eq(statsRollupProgress.orgId, org.id));
  const usable = progress && progress.timeZone === zone && progress.rolledThrough >= range.from;
  const through = usable ? (progress.rolledThrough < range.to ? progress.rolledThrough : range.to) : null;
  const source = (kind: "clicks" | "conversions"): Source => {
    const stale = new Set(usable ? progress.stale.filter((s) => s.startsWith(`${kind} `)).map((s) => s.slice(kind.length + 1)) : []);
    // Runs of consecutive raw days, each one instant range for the index.
    const runs: [string, string][] = [];
    for (let day = range.from; day <= range.to; day = nextDay(day)) {
      if (through !== null && day <= through && !stale.has(day)) continue;
      const last = runs.at(-1);
      if (last && nextDay(last[1]) === day) last[1] = day;
      else runs.push([day, day]);
    }
    const skipped = [...stale].filter((day) => day >= range.from && day <= range.to);
    return {
      rolled:
        through === null
          ? null
          : (table) => and(eq(table.orgId, org.id), gte(table.day, range.from), lte(table.day, through), skipped.length > 0 ? notInArray(table.day, skipped) : undefined)!,
      raw: runs.length === 0 ? null : (column) => or(...runs.map(([from, to]) => withinDays(column, from, to, zone)))!,
    };
  };
  return { clicks: source("clicks"), conversions: source("conversions") };
}

/** Money as ten-thousandths (numeric(14,4) is exact there), so sums of strings stay exact. */
const units = (amount: string | number | null | undefined) => Math.round(Number(amount ?? 0) * 10_000);

export type DayStats = { day: string; clicks: number; leads: number; approved: number; rejected: number; payout: number; revenue: number };

/** Conversions of a group, from raw rows or from rollup rows: how many, approved, rejected, and approved money. */
function conversionTotals(source: "raw" | "rolled") {
  if (source === "raw") {
    return {
      conversions: sql<number>`count(*)::int`,
      approved: sql<number>`count(*) filter (where ${conversions.status} = 'approved')::int`,
      rejected: sql<number>`count(*) filter (where ${conversions.status} = 'rejected')::int`,
      payout: sql<string>`coalesce(sum(${conversions.payout}) filter (where ${conversions.status} = 'approved'), 0)`,
      revenue: sql<string>`coalesce(sum(${conversions.revenue}) filter (where ${conversions.status} = 'approved'), 0)`,
    };
  }
  const t = statsConversionsDaily;
  return {
    conversions: sql<number>`sum(${t.conversions})::int`,
    approved: sql<number>`coalesce(sum(${t.conversions}) filter (where ${t.status} = 'approved'), 0)::int`,
    rejected: sql<number>`coalesce(sum(${t.conversions}) filter (where ${t.status} = 'rejected'), 0)::int`,
    payout: sql<string>`coalesce(sum(${t.payout}) filter (where ${t.status} = 'approved'), 0)`,
    revenue: sql<string>`coalesce(sum(${t.revenue}) filter (where ${t.status} = 'approved'), 0)`,
  };
}

type Counted = { key: string; clicks: number; conversions: number; approved: number; rejected: number; payout: number; revenue: number };

/** Adds rows of both sources per key; money is summed in ten-thousandths. */
function addUp(rows: { key: string; clicks?: number; conversions?: number; approved?: number; rejected?: number; payout?: string; revenue?: string }[]): Map<string, Counted> {
  const sums = new Map<string, Counted>();
  for (const row of rows) {
    const sum = sums.get(row.key) ?? { key: row.key, clicks: 0, conversions: 0, approved: 0, rejected: 0, payout: 0, revenue: 0 };
    sum.clicks += row.clicks ?? 0;
    sum.conversions += row.conversions ?? 0;
    sum.approved += row.approved ?? 0;
    sum.rejected += row.rejected ?? 0;
    sum.payout += units(row.payout);
    sum.revenue += units(row.revenue);
    sums.set(row.key, sum);
  }
  for (const sum of sums.values()) {
    sum.payout /= 10_000;
    sum.revenue /= 10_000;
  }
  return sums;
}

/**
 * Clicks and conversions of an organization over the range, per `by` (the day, the offer, the
 * affiliate or the goal), from the rollups where they hold the days and raw rows elsewhere.
 */
async function counted(db: Executor, org: { id: string; kind: "network" | "affiliate" }, range: StatsRange, by: "day" | "offer" | "affiliate" | "goal", withClicks: boolean) {
  const within = checked(range);
  const zone = within.timeZone;
  const sources = await sourcesFor(db, org, within);
  const own = ownRows(org);
  const rawKey = { day: (c: AnyColumn) => dayOf(c, zone), offer: () => conversions.offerId, affiliate: () => conversions.affiliateId, goal: () => conversions.goalKey }[by];
  const clickKey = by === "day" ? dayOf(clicks.createdAt, zone) : by === "offer" ? sql<string>`${clicks.offerId}` : sql<string>`${clicks.affiliateId}`;
  const rolledClickKey = by === "day" ? rolledDay(statsClicksDaily.day) : by === "offer" ? sql<string>`${statsClicksDaily.offerId}` : sql<string>`${statsClicksDaily.affiliateId}`;
  const t = statsConversionsDaily;
  const rolledKey = { day: rolledDay(t.day), offer: sql<string>`${t.offerId}`, affiliate: sql<string>`${t.affiliateId}`, goal: sql<string>`${t.goalKey}` }[by];
  const none = Promise.resolve([]);
  const { clicks: clickSource, conversions: conversionSource } = sources;
  const parts = await Promise.all([
    withClicks && clickSource.raw ? db.select({ key: clickKey, clicks: sql<number>`count(*)::int` }).from(clicks).where(and(own.clicks, clickSource.raw(clicks.createdAt))).groupBy(sql`1`) : none,
    withClicks && clickSource.rolled ? db.select({ key: rolledClickKey, clicks: sql<number>`sum(${statsClicksDaily.clicks})::int` }).from(statsClicksDaily).where(clickSource.rolled(statsClicksDaily)).groupBy(sql`1`) : none,
    conversionSource.raw
      ? db.select({ key: sql<string>`${rawKey(conversions.createdAt)}`, ...conversionTotals("raw") }).from(conversions).where(and(own.conversions, conversionSource.raw(conversions.createdAt))).groupBy(sql`1`)
      : none,
    conversionSource.rolled ? db.select({ key: rolledKey, ...conversionTotals("rolled") }).from(t).where(conversionSource.rolled(t)).groupBy(sql`1`) : none,
  ]);
  return addUp(parts.flat());
}

/** Clicks and conversions per day of the range (in its time zone), zero-filled. */
export async function dailyStats(db: Executor, viewer: Viewer, range: StatsRange): Promise<DayStats[]> {
  const byDay = await counted(db, partyOf(viewer), range, "day", true);
  const out: DayStats[] = [];
  for (let i = 0; i < daysIn(range); i++) {
    const date = dayText(dayStart(range.from) + i * DAY_MS);
    const d = byDay.get(date);
    out.push({ day: date, clicks: d?.clicks ?? 0, leads: d?.conversions ?? 0, approved: d?.approved ?? 0, rejected: d?.rejected ?? 0, payout: d?.payout ?? 0, revenue: d?.revenue ?? 0 });
  }
  return out;
}

/** The organization whose rows a viewer's stats count: a network's own, else an affiliate's. */
function partyOf(viewer: Viewer): { id: string; kind: "network" | "affiliate" } {
  return { id: viewer.orgId, kind: viewer.orgKind === "network" ? "network" : "affiliate" };
}

export type BreakdownRow = { id: string; name: string; clicks: number; conversions: number; approved: number; payout: number; revenue: number };

/** A network's totals per offer or per affiliate over the range's days. */
export async function networkBreakdown(db: Executor, networkId: string, by: "offer" | "affiliate", range: StatsRange): Promise<BreakdownRow[]> {
  const [rows, names] = await Promise.all([
    counted(db, { id: networkId, kind: "network" }, range, by, true),
    by === "offer"
      ? db.select({ id: offers.id, name: offers.name }).from(offers).where(eq(offers.networkId, networkId))
      : db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.kind, "affiliate")),
  ]);
  return [...rows.values()]
    .map((r) => ({ id: r.key, name: names.find((n) => n.id === r.key)?.name ?? r.key, clicks: r.clicks, conversions: r.conversions, approved: r.approved, payout: r.payout, revenue: r.revenue }))
    .sort((a, b) => b.revenue - a.revenue || b.clicks - a.clicks);
}

export type GoalRow = { goal: string; conversions: number; approved: number; payout: number; revenue: number | null };

/** Conversions and money per goal in the range, for any party; an affiliate never sees revenue. */
export async function goalBreakdown(db: Executor, viewer: Viewer, range: StatsRange): Promise<GoalRow[]> {
  const rows = await counted(db, partyOf(viewer), range, "goal", false);
  return [...rows.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => ({ goal: r.key, conversions: r.conversions, approved: r.approved, payout: r.payout, revenue: viewer.orgKind === "affiliate" ? null : r.revenue }));
}
