import { and, asc, eq, lte, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { commitWithoutFlushWait, preparedStatement } from "@/db/prepared";
import { capCounters, caps, type Conversion, type OrgKind, organizations, type ProgramDecision } from "@/db/schema";
import type { CAP_PERIODS } from "./terms";

export type CapTerms = {
  id: string;
  goalKey: string | null;
  affiliateId: string | null;
  period: (typeof CAP_PERIODS)[number];
  metric: "count" | "payout" | "revenue";
  capLimit: string;
  action: "reject" | "hold" | "zero_payout" | "flag";
};

/** The caps a conversion of `goalKey` by `affiliateId` counts against. */
export function capsFor<C extends Pick<CapTerms, "goalKey" | "affiliateId">>(caps: readonly C[], goalKey: string, affiliateId: string): C[] {
  return caps.filter((c) => (c.goalKey === null || c.goalKey === goalKey) && (c.affiliateId === null || c.affiliateId === affiliateId));
}

/**
 * The period a moment falls in, in the network's time zone: `2026-12-06T14` (the hour on its clock,
 * so an hour repeated when clocks go back counts as one), `2026-12-06`, the week's Monday,
 * `2026-12`, or `total`.
 */
export function periodStart(period: CapTerms["period"], timeZone: string, at: Date): string {
  if (period === "total") return "total";
  const parts = Object.fromEntries(calendarIn(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  if (period === "month") return `${parts.year}-${parts.month}`;
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  if (period === "day") return day;
  if (period === "hour") return `${day}T${parts.hour}`;
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday);
  const monday = new Date(Date.parse(`${day}T00:00:00Z`) - weekday * 86_400_000);
  return `week:${monday.toISOString().slice(0, 10)}`;
}

/** A cap's period in an English reason: "a day", "an hour", "in total". */
function perPeriod(period: CapTerms["period"]) {
  return period === "total" ? "in total" : period === "hour" ? "an hour" : `a ${period}`;
}

// A formatter per zone, made once: making one costs more than the rest of a conversion's cap check.
const calendars = new Map<string, Intl.DateTimeFormat>();
function calendarIn(timeZone: string): Intl.DateTimeFormat {
  let calendar = calendars.get(timeZone);
  if (!calendar) calendars.set(timeZone, (calendar = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23", weekday: "short" })));
  return calendar;
}

/**
 * Reserves a conversion's place in each of its caps, in order. On the first full hard cap the
 * places taken are given back and its decision is returned as `full`; a full soft cap (action
 * `flag`) lets the conversion through, flagged, and it still counts in the other caps. `giveBack`
 * undoes the places taken (the conversion turned out to exist, or was not written).
 */
export async function reserveCaps(db: Database, caps: readonly CapTerms[], conversion: Amounts, timeZone: string, at: Date) {
  const taken: { capId: string; period: string; amount: string }[] = [];
  const flags: ProgramDecision[] = [];
  const giveBack = async () => {
    for (const t of taken.splice(0)) {
      await db.update(capCounters).set({ used: sql`${capCounters.used} - ${t.amount}::numeric` }).where(and(eq(capCounters.capId, t.capId), eq(capCounters.periodStart, t.period)));
    }
  };
  for (const cap of caps) {
    const amount = cap.metric === "count" ? "1" : amountOf(conversion, cap.metric);
    const period = periodStart(cap.period, timeZone, at);
    if (await takePlace(db, cap, period, amount)) {
      taken.push({ capId: cap.id, period, amount });
      continue;
    }
    // A money cap's limit stays out of the reason, which the merchant reads in its log; the
    // values keep it for the pages, which show it to the parties that may see that amount.
    const what = cap.metric === "count" ? `${Number(cap.capLimit)} conversions` : `the ${cap.metric} cap`;
    const per = perPeriod(cap.period);
    const values = { metric: cap.metric, limit: cap.capLimit, period: cap.period };
    const decision: ProgramDecision = { by: "cap", id: cap.id, kind: "cap_reached", action: cap.action, reason: `cap_reached: ${what} ${per} (${period})`, values };
    if (cap.action === "flag") {
      flags.push(decision);
      continue;
    }
    await giveBack();
    return { decisions: [...flags, decision], full: true, giveBack };
  }
  return { decisions: flags, full: false, giveBack };
}

type Amounts = { payout: string; revenue?: string | null };
type MoneyMetric = Exclude<CapTerms["metric"], "count">;
const amountOf = (conversion: Amounts, metric: MoneyMetric) => (metric === "payout" ? conversion.payout : (conversion.revenue ?? "0"));

/**
 * Counts a change of a conversion's payout or revenue (a sale amount that came with a later
 * status) in the money caps it took a place in, in the period it was made. A cap added after it
 * never counted it. Not checked against the limit: the conversion is already accepted, and the
 * next ones see the cap's true use.
 */
export async function countAmountChange(tx: Executor, before: Conversion, after: Pick<Conversion, "payout" | "revenue">) {
  const delta = (metric: MoneyMetric) => Number(amountOf(after, metric)) - Number(amountOf(before, metric));
  const capsDecided = before.decisions.filter((d) => d.by === "cap");
  // A hard cap's decision left the conversion out of every cap; a full soft cap, out of that one only.
  if ((delta("payout") === 0 && delta("revenue") === 0) || capsDecided.some((d) => d.action !== "flag")) return;
  const outOf = new Set(capsDecided.map((d) => d.id));
  const rows = await tx
    .select({ id: caps.id, goalKey: caps.goalKey, affiliateId: caps.affiliateId, period: caps.period, metric: caps.metric, timeZone: organizations.timeZone })
    .from(caps)
    .innerJoin(organizations, eq(organizations.id, caps.networkId))
    .where(and(eq(caps.offerId, before.offerId), ne(caps.metric, "count"), lte(caps.createdAt, before.createdAt)))
    // One order for every transaction that locks counters, so two of them cannot wait on each other.
    .orderBy(asc(caps.id));
  for (const cap of capsFor(rows, before.goalKey, before.affiliateId)) {
    const change = delta(cap.metric as MoneyMetric);
    if (change === 0 || outOf.has(cap.id)) continue;
    await tx
      .update(capCounters)
      .set({ used: sql`${capCounters.used} + ${change.toFixed(4)}::numeric` })
      .where(and(eq(capCounters.capId, cap.id), eq(capCounters.periodStart, periodStart(cap.period, cap.timeZone, before.createdAt))));
  }
}

type Claim = { amount: number; decide: (taken: boolean) => void; fail: (error: unknown) => void };
const waiting = new Map<string, { db: Database; cap: CapTerms; period: string; claims: Claim[] }>();

/**
 * One place in a cap's period. The claims made in one turn of the event loop are settled together
 * by one transaction that locks the counter row, takes the claims that fit in arrival order, and
 * adds their sum: exact however many instances claim at once, and one commit for a burst of
 * conversions instead of one each, all waiting on the same row.
 */
function takePlace(db: Database, cap: CapTerms, period: string, amount: string): Promise<boolean> {
  const key = `${cap.id}|${period}`;
  return new Promise((decide, fail) => {
    let batch = waiting.get(key);
    if (!batch || batch.db !== db) {
      batch = { db, cap, period, claims: [] };
      waiting.set(key, batch);
      const settling = batch;
      setImmediate(() => {
        if (waiting.get(key) === settling) waiting.delete(key);
        settle(settling).catch((error) => settling.claims.forEach((c) => c.fail(error)));
      });
    }
    batch.claims.push({ amount: Number(amount), decide, fail });
  });
}

async function settle(batch: { db: Database; cap: CapTerms; period: string; claims: Claim[] }) {
  const { db, cap, period, claims } = batch;
  // Far from the limit the whole batch fits: one conditional update takes it (exact, the row is
  // locked for that statement). Near the limit, or on a period's first claim, the transaction below
  // decides claim by claim.
  if (await takeAll(batch)) {
    for (const claim of claims) claim.decide(true);
    return;
  }
  const limit = Number(cap.capLimit);
  const decisions = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(capCounters)
      .values({ capId: cap.id, periodStart: period, used: "0" })
      .onConflictDoUpdate({ target: [capCounters.capId, capCounters.periodStart], set: { used: sql`${capCounters.used}` } })
      .returning({ used: capCounters.used });
    let used = Number(row.used);
    const taken = claims.map((claim) => {
      // Compared in ten-thousandths (the column's scale): a sum of decimal amounts drifts in floating
      // point. A full cap takes nothing more, not even a lead worth 0 whose sale would add to it.
      const fits = Math.round(used * 10_000) < Math.round(limit * 10_000) && Math.round((used + claim.amount) * 10_000) <= Math.round(limit * 10_000);
      if (fits) used += claim.amount;
      return fits;
    });
    const added = claims.reduce((sum, claim, i) => (taken[i] ? sum + claim.amount : sum), 0);
    if (added > 0) await tx.update(capCounters).set({ used: sql`${capCounters.used} + ${added.toFixed(4)}::numeric` }).where(and(eq(capCounters.capId, cap.id), eq(capCounters.periodStart, period)));
    return taken;
  });
  claims.forEach((claim, i) => claim.decide(decisions[i]));
}

/**
 * Adds the batch's sum to its counter when the sum stays within the limit; false when it would not,
 * or the period has no counter yet. The commit does not wait for the disk: the next batch waits on
 * this row until it commits.
 */
async function takeAll({ db, cap, period, claims }: { db: Database; cap: CapTerms; period: string; claims: Claim[] }): Promise<boolean> {
  const statement = preparedStatement(db, "cap-take-all", (name) => {
    const added = sql`${sql.placeholder("sum")}::numeric`;
    return db
      .update(capCounters)
      .set({ used: sql`${capCounters.used} + ${added}` })
      .where(and(eq(capCounters.capId, sql.placeholder("capId")), eq(capCounters.periodStart, sql.placeholder("period")), sql`${capCounters.used} + ${added} <= ${sql.placeholder("limit")}::numeric and ${capCounters.used} < ${sql.placeholder("limit")}::numeric`, commitWithoutFlushWait))
      .returning({ used: capCounters.used })
      .prepare(name);
  });
  const sum = claims.reduce((total, claim) => total + claim.amount, 0);
  const rows = await statement.execute({ capId: cap.id, period, sum: sum.toFixed(4), limit: cap.capLimit });
  return rows.length > 0;
}

/**
 * A conversion's decisions as one party may read them: a money cap's limit is an amount, so the
 * merchant, who never reads payouts, does not see a payout cap's, nor the affiliate a revenue cap's.
 */
export function decisionsSeenBy(party: OrgKind, decisions: ProgramDecision[]): ProgramDecision[] {
  const hidden: MoneyMetric | null = party === "merchant" ? "payout" : party === "affiliate" ? "revenue" : null;
  if (!hidden) return decisions;
  return decisions.map((d) => {
    // The affiliate's sub ids and its visitors' IPs are not the merchant's to read: a blocked one keeps only its parameter.
    if ((d.kind === "blocked_subs" || d.kind === "blocked_ips") && party === "merchant" && d.values) {
      const { value: _value, ...values } = d.values;
      return { ...d, values };
    }
    if (d.kind !== "cap_reached") return d;
    if (!d.values) {
      // Recorded before decisions kept their figures: a payout cap's reason named its limit.
      const old = /^cap_reached: [\d.]+ of payout (a day|a week|a month|in total)/.exec(d.reason);
      return old && hidden === "payout" ? { ...d, reason: `cap_reached: the payout cap ${old[1]}` } : d;
    }
    if (d.values.metric !== hidden) return d;
    const { limit: _limit, ...values } = d.values;
    const per = perPeriod(values.period as CapTerms["period"]);
    return { ...d, reason: `cap_reached: the ${hidden} cap ${per}`, values };
  });
}
