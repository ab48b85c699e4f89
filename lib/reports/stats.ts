import { type AnyColumn, and, eq, gte, inArray, lte, notInArray, or, SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { clicks, conversions, offers, organizations, statsClicksDaily, statsClicksOpen, statsConversionsDaily, statsRollupProgress, statsStale } from "@/db/schema";
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

/**
 * Where one kind of row (clicks or conversions) of the range is counted: rolled days from the
 * rollup, the open days' clicks up to an instant from their counts (`open`), the rest from raw rows.
 */
type Source = {
  rolled: ((table: typeof statsClicksDaily | typeof statsConversionsDaily) => SQL) | null;
  open: SQL | null;
  raw: ((column: AnyColumn) => SQL) | null;
};

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
      clicksOpenUntil: sql<string | null>`${statsRollupProgress.clicksOpenUntil}::text`,
      stale: sql<string[]>`(select coalesce(json_agg(distinct ${statsStale.kind} || ' ' || ${markerDay}), '[]'::json) from ${statsStale} where ${ofOrg})`,
    })
    .from(statsRollupProgress)
    .where(eq(statsRollupProgress.orgId, org.id));
  const usable = progress && progress.timeZone === zone && progress.rolledThrough >= range.from;
  const through = usable ? (progress.rolledThrough < range.to ? progress.rolledThrough : range.to) : null;
  const source = (kind: "clicks" | "conversions"): Source => {
    const sameZone = progress !== undefined && progress.timeZone === zone;
    const stale = new Set(sameZone ? progress.stale.filter((s) => s.startsWith(`${kind} `)).map((s) => s.slice(kind.length + 1)) : []);
    // The open days' clicks counted up to `openUntil` (days after rolled_through, not marked).
    const openUntil = kind === "clicks" && sameZone ? progress.clicksOpenUntil : null;
    const isOpen = (day: string) => openUntil !== null && day > progress.rolledThrough && !stale.has(day);
    // Runs of consecutive raw days, each one instant range for the index; an open day's from `openUntil` on.
    const runs: { from: string; to: string; open: boolean }[] = [];
    const openDays: string[] = [];
    for (let day = range.from; day <= range.to; day = nextDay(day)) {
      if (through !== null && day <= through && !stale.has(day)) continue;
      const open = isOpen(day);
      if (open) openDays.push(day);
      const last = runs.at(-1);
      if (last && last.open === open && nextDay(last.to) === day) last.to = day;
      else runs.push({ from: day, to: day, open });
    }
    const skipped = [...stale].filter((day) => day >= range.from && day <= range.to);
    return {
      rolled:
        through === null
          ? null
          : (table) => and(eq(table.orgId, org.id), gte(table.day, range.from), lte(table.day, through), skipped.length > 0 ? notInArray(table.day, skipped) : undefined)!,
      open:
        openDays.length === 0
          ? null
          : and(eq(statsClicksOpen.orgId, org.id), sql`${statsClicksOpen.until} = ${openUntil}::timestamptz`, inArray(statsClicksOpen.day, openDays))!,
      raw:
        runs.length === 0
          ? null
          : (column) => or(...runs.map((run) => (run.open ? and(withinDays(column, run.from, run.to, zone), sql`${column} >= ${openUntil}::timestamptz`)! : withinDays(column, run.from, run.to, zone))))!,
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

type By = "day" | "offer" | "affiliate" | "goal";
type Keyed = { day?: string | null; offer?: string | null; affiliate?: string | null; goal?: string | null };

/**
 * Clicks and conversions of an organization over the range, per each of `keys` (the day, the
 * offer, the affiliate, the goal), from the rollups where they hold the days and raw rows
 * elsewhere. Each source is read once for all the keys (grouping sets), so a page with four
 * breakdowns scans the open day's rows once, not four times.
 */
async function counted(db: Executor, org: { id: string; kind: "network" | "affiliate" }, range: StatsRange, keys: By[], withClicks: boolean): Promise<Record<By, Map<string, Counted>>> {
  const within = checked(range);
  const zone = within.timeZone;
  const sources = await sourcesFor(db, org, within);
  const own = ownRows(org);
  const t = statsConversionsDaily;
  // Clicks have no goal; a click key is asked only where it exists.
  const clickKeys = keys.filter((key) => key !== "goal");
  const raw = { day: dayOf(conversions.createdAt, zone), offer: sql<string>`${conversions.offerId}`, affiliate: sql<string>`${conversions.affiliateId}`, goal: sql<string>`${conversions.goalKey}` };
  const rolled = { day: t.day, offer: t.offerId, affiliate: t.affiliateId, goal: t.goalKey };
  const rawClick = { day: dayOf(clicks.createdAt, zone), offer: sql<string>`${clicks.offerId}`, affiliate: sql<string>`${clicks.affiliateId}` };
  const rolledClick = { day: statsClicksDaily.day, offer: statsClicksDaily.offerId, affiliate: statsClicksDaily.affiliateId };
  const openClick = { day: statsClicksOpen.day, offer: statsClicksOpen.offerId, affiliate: statsClicksOpen.affiliateId };
  /**
   * The keys selected in `keys`' order, grouped as one set each: a row's set is its one non-null
   * key. An expression is grouped by its place in the select (its parameters would not match
   * again in GROUP BY); a rollup's column by itself, and its day is made text per group, not per row.
   */
  const keyed = <K extends By>(columns: Record<K, SQL<string> | AnyColumn>, asked: K[]) => ({
    select: Object.fromEntries(asked.map((key) => [key, columns[key] instanceof SQL ? columns[key] : key === "day" ? sql<string>`to_char(${columns[key]}, 'YYYY-MM-DD')` : sql<string>`${columns[key]}`])) as Record<K, SQL<string>>,
    groupBy: sql`grouping sets (${sql.join(asked.map((key, i) => (columns[key] instanceof SQL ? sql.raw(`(${i + 1})`) : sql`(${columns[key]})`)), sql`, `)})`,
  });
  const none = Promise.resolve([] as (Keyed & { clicks?: number; conversions?: number; approved?: number; rejected?: number; payout?: string; revenue?: string })[]);
  const { clicks: clickSource, conversions: conversionSource } = sources;
  const askClicks = withClicks && clickKeys.length > 0;
  const rawClicks = keyed(rawClick, clickKeys as ("day" | "offer" | "affiliate")[]);
  const rolledClicks = keyed(rolledClick, clickKeys as ("day" | "offer" | "affiliate")[]);
  const openClicks = keyed(openClick, clickKeys as ("day" | "offer" | "affiliate")[]);
  const rawConversions = keyed(raw, keys);
  const rolledConversions = keyed(rolled, keys);
  const parts = await Promise.all([
    askClicks && clickSource.raw ? db.select({ ...rawClicks.select, clicks: sql<number>`count(*)::int` }).from(clicks).where(and(own.clicks, clickSource.raw(clicks.createdAt))).groupBy(rawClicks.groupBy) : none,
    askClicks && clickSource.rolled
      ? db.select({ ...rolledClicks.select, clicks: sql<number>`sum(${statsClicksDaily.clicks})::int` }).from(statsClicksDaily).where(clickSource.rolled(statsClicksDaily)).groupBy(rolledClicks.groupBy)
      : none,
    askClicks && clickSource.open
      ? db.select({ ...openClicks.select, clicks: sql<number>`sum(${statsClicksOpen.clicks})::int` }).from(statsClicksOpen).where(clickSource.open).groupBy(openClicks.groupBy)
      : none,
    conversionSource.raw
      ? db.select({ ...rawConversions.select, ...conversionTotals("raw") }).from(conversions).where(and(own.conversions, conversionSource.raw(conversions.createdAt))).groupBy(rawConversions.groupBy)
      : none,
    conversionSource.rolled ? db.select({ ...rolledConversions.select, ...conversionTotals("rolled") }).from(t).where(conversionSource.rolled(t)).groupBy(rolledConversions.groupBy) : none,
  ]);
  const rows = parts.flat() as (Keyed & Parameters<typeof addUp>[0][number])[];
  const out = {} as Record<By, Map<string, Counted>>;
  for (const key of keys) out[key] = addUp(rows.filter((row) => row[key] != null).map((row) => ({ ...row, key: row[key]! })));
  return out;
}

/** Clicks and conversions per day of the range (in its time zone), zero-filled. */
export async function dailyStats(db: Executor, viewer: Viewer, range: StatsRange): Promise<DayStats[]> {
  const { day } = await counted(db, partyOf(viewer), range, ["day"], true);
  return zeroFilledDays(range, day);
}

function zeroFilledDays(range: StatsRange, byDay: Map<string, Counted>): DayStats[] {
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
  const counts = await counted(db, { id: networkId, kind: "network" }, range, [by], true);
  return breakdownRows(counts[by], await namesOf(db, networkId, by, [...counts[by].keys()]));
}

/** The names of the offers or affiliates a breakdown lists. */
async function namesOf(db: Executor, networkId: string, by: "offer" | "affiliate", ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows =
    by === "offer"
      ? await db.select({ id: offers.id, name: offers.name }).from(offers).where(and(eq(offers.networkId, networkId), inArray(offers.id, ids)))
      : await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(and(eq(organizations.kind, "affiliate"), inArray(organizations.id, ids)));
  return new Map(rows.map((row) => [row.id, row.name]));
}

function breakdownRows(counts: Map<string, Counted>, names: Map<string, string>): BreakdownRow[] {
  return [...counts.values()]
    .map((r) => ({ id: r.key, name: names.get(r.key) ?? r.key, clicks: r.clicks, conversions: r.conversions, approved: r.approved, payout: r.payout, revenue: r.revenue }))
    .sort((a, b) => b.revenue - a.revenue || b.clicks - a.clicks);
}

export type GoalRow = { goal: string; conversions: number; approved: number; payout: number; revenue: number | null };

/** Conversions and money per goal in the range, for any party; an affiliate never sees revenue. */
export async function goalBreakdown(db: Executor, viewer: Viewer, range: StatsRange): Promise<GoalRow[]> {
  const { goal } = await counted(db, partyOf(viewer), range, ["goal"], false);
  return goalRows(viewer, goal);
}

function goalRows(viewer: Viewer, counts: Map<string, Counted>): GoalRow[] {
  return [...counts.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => ({ goal: r.key, conversions: r.conversions, approved: r.approved, payout: r.payout, revenue: viewer.orgKind === "affiliate" ? null : r.revenue }));
}

export type StatsReport = { days: DayStats[]; byGoal: GoalRow[]; byOffer: BreakdownRow[]; byAffiliate: BreakdownRow[] };

/**
 * Everything the Stats page shows, from one read of each source: per day and per goal for any
 * party, and per offer and per affiliate for a network (empty for an affiliate).
 */
export async function statsReport(db: Executor, viewer: Viewer, range: StatsRange): Promise<StatsReport> {
  const network = viewer.orgKind === "network";
  const counts = await counted(db, partyOf(viewer), range, network ? ["day", "goal", "offer", "affiliate"] : ["day", "goal"], true);
  const [offerNames, affiliateNames] = network
    ? await Promise.all([namesOf(db, viewer.orgId, "offer", [...counts.offer.keys()]), namesOf(db, viewer.orgId, "affiliate", [...counts.affiliate.keys()])])
    : [new Map<string, string>(), new Map<string, string>()];
  return {
    days: zeroFilledDays(range, counts.day),
    byGoal: goalRows(viewer, counts.goal),
    byOffer: network ? breakdownRows(counts.offer, offerNames) : [],
    byAffiliate: network ? breakdownRows(counts.affiliate, affiliateNames) : [],
  };
}
