import { and, asc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { customIssue, localizable } from "@/lib/platform/error-messages";
import type { Executor } from "@/db/client";
import { type Cap, capCounters, caps, conversionRules, conversions, memberships, type Offer, offerGoals, offers, organizations, payoutRules } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";
import { amount, flag, optionalAmount, optionalText, optionalWholeNumber, wholeNumber, wordList } from "@/lib/platform/fields";
import { createId } from "@/lib/platform/ids";
import { addressListIssue, parseAllowList } from "@/lib/incoming/ip-allow-list";
import { organizationTimeZone } from "@/lib/access/organizations";
import { periodStart } from "./caps";
import type { BlockableParam } from "./rules";
import { BLOCKABLE_PARAMS, CAP_PERIODS, RULE_KINDS } from "./terms";
import { DEFAULT_GOAL, resolveGoal } from "./goals";
import { winningRule } from "./payouts";

/*
 * A network's program on one of its offers: goals, payout rules, caps, conversion rules and the
 * hold period. The server actions and the API call these with the same schemas; an offer of
 * another network is "not found".
 */

const percentOrFlat = z.enum(["flat", "percent"]).default("flat");
const orNone = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? undefined : v), schema);
const optionalKey = orNone(z.string().trim().max(40).optional()).transform((v) => (v && v !== "*" ? v : null));
const optionalHours = optionalWholeNumber(1, 24 * 90, { min: "At least one hour.", max: "At most 90 days." });

export const goalInputSchema = z.object({
  key: z.string().trim().regex(/^[a-z0-9_-]{1,40}$/, localizable("errors.form.goalKeyFormat")).refine((k) => k !== DEFAULT_GOAL, localizable("errors.form.goalKeyReserved")),
  name: z.string().trim().min(1, localizable("errors.form.goalName")).max(80),
  payoutKind: percentOrFlat,
  payout: amount(),
  revenueKind: percentOrFlat,
  revenue: amount(),
  multiple: flag.default(false),
  holdHours: optionalHours,
});

/**
 * A change's check that it sets something, by its own fields: a form's action adds the part's and
 * the offer's ids to the same schema, and those always have a value.
 */
const setsAnyOf =
  <K extends string>(...fields: K[]) =>
  (change: Partial<Record<K, unknown>>) =>
    fields.some((field) => change[field] !== undefined);

const keepKind = orNone(z.enum(["flat", "percent", ""]).optional()).transform((v) => v || undefined);
/**
 * What a goal's change may set: its name, amounts and hold, for conversions from then on. Its key
 * stays (postbacks and past conversions name it), and so does "many per click" (it makes the keys).
 */
export const goalChangeSchema = z
  .object({
    name: orNone(z.string().trim().max(80).optional()).transform((v) => v || undefined),
    payoutKind: keepKind,
    payout: optionalAmount(),
    revenueKind: keepKind,
    revenue: optionalAmount(),
    // Blank keeps it; 0 or null leaves the goal no hold of its own (the offer's applies).
    holdHours: z
      .preprocess((v) => (v === "" ? undefined : v === null ? 0 : v), wholeNumber(0, 24 * 90, { max: "At most 90 days." }).optional())
      .transform((v) => (v === 0 ? null : v))
      .meta({ override: { type: ["integer", "null"], description: "Hours a new approval is held; 0 or null: the offer's hold applies." } }),
  })
  .refine(setsAnyOf("name", "payoutKind", "payout", "revenueKind", "revenue", "holdHours"), { message: localizable("errors.form.goalChangeEmpty"), path: ["payout"] });

const calendarDay = z.iso.date();
const EARLIEST_DAY = "1970-01-01";

/** When a payout rule starts: a calendar day (the form's date: its start in the network's time zone) or an instant; blank: undefined. */
const ruleStart = orNone(z.string().max(40).optional()).transform((v, ctx): Date | { day: string } | undefined => {
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    if (!calendarDay.safeParse(v).success || v < EARLIEST_DAY) ctx.addIssue(customIssue("errors.form.date"));
    return { day: v };
  }
  const at = new Date(v);
  // PostgreSQL keeps years of four digits; an earlier or later one is a typing slip.
  if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1970 || at.getUTCFullYear() > 9999) ctx.addIssue(customIssue("errors.form.date"));
  return at;
});

/** The stored start of a rule: an instant as given, a day at its midnight in the network's time zone. */
async function ruleStartAt(db: Executor, networkId: string, start: Date | { day: string }) {
  if (start instanceof Date) return start;
  return sql`(${start.day}::date::timestamp at time zone ${await organizationTimeZone(db, networkId)})`;
}

export const payoutRuleInputSchema = z.object({
  affiliateId: z.string().min(1, localizable("errors.form.pickAffiliate")).max(64),
  goalKey: optionalKey,
  payoutKind: percentOrFlat,
  payout: optionalAmount(),
  revenueKind: percentOrFlat,
  revenue: optionalAmount(),
  validFrom: ruleStart.transform((v) => v ?? new Date()),
});

/** What a payout rule's change may set, for conversions from then on: its amounts and its start. Whose and which goal's it is stay. */
export const payoutRuleChangeSchema = z
  .object({ payoutKind: keepKind, payout: optionalAmount(), revenueKind: keepKind, revenue: optionalAmount(), validFrom: ruleStart })
  .refine(setsAnyOf("payoutKind", "payout", "revenueKind", "revenue", "validFrom"), { message: localizable("errors.form.payoutRuleChangeEmpty"), path: ["payout"] });

export const capInputSchema = z.object({
  goalKey: optionalKey,
  affiliateId: orNone(z.string().max(64).optional()).transform((v) => v || null),
  period: z.enum(CAP_PERIODS),
  metric: z.enum(["count", "payout", "revenue"]).default("count"),
  capLimit: amount(),
  action: z.enum(["reject", "hold", "zero_payout", "flag"]).default("reject"),
});

/** What a cap's change may set: its limit, what happens over it, or both (the rest would make it another cap). */
export const capChangeSchema = z
  .object({
    capLimit: optionalAmount(),
    action: orNone(z.enum(["reject", "hold", "zero_payout", "flag", ""]).optional()).transform((v) => v || undefined),
  })
  .refine(setsAnyOf("capLimit", "action"), { message: localizable("errors.form.capChangeEmpty"), path: ["capLimit"] });

type RuleKind = (typeof RULE_KINDS)[number];

const RULE_SETTING_FIELDS = ["threshold", "windowMinutes", "countries", "param", "blockedValues"] as const;
/** The settings each kind of rule has; a change of another is refused. */
const RULE_SETTINGS: Record<RuleKind, readonly (typeof RULE_SETTING_FIELDS)[number][]> = {
  min_click_seconds: ["threshold"],
  max_click_seconds: ["threshold"],
  ip_limit: ["threshold", "windowMinutes"],
  countries: ["countries"],
  blocked_subs: ["param", "blockedValues"],
  blocked_ips: ["blockedValues"],
};
// Blank is "none" on a new rule and "keep" on a change.
const blockableParam = z.enum([...BLOCKABLE_PARAMS, ""], { message: localizable("errors.form.blockableParam") });

export const ruleInputSchema = z
  .object({
    kind: z.enum(RULE_KINDS),
    action: z.enum(["reject", "hold", "flag"]).default("flag"),
    affiliateId: orNone(z.string().max(64).optional()).transform((v) => v || null),
    threshold: optionalWholeNumber(0, 10_000_000),
    windowMinutes: optionalWholeNumber(1, 60 * 24 * 30),
    countries: wordList(300).transform((list) => (list.length ? list.map((c) => c.toUpperCase()) : null)),
    param: orNone(blockableParam.optional()).transform((v) => v || null),
    // Up to 500 sub ids or sources, separated by commas, spaces or lines.
    blockedValues: wordList(500).transform((list) => (list.length ? list : null)),
  })
  .superRefine((rule, ctx) => {
    if (RULE_SETTINGS[rule.kind].includes("threshold") && rule.threshold === null) ctx.addIssue({ code: "custom", path: ["threshold"], message: rule.kind === "ip_limit" ? "How many conversions from one IP." : "How many seconds." });
    if (rule.kind === "countries" && !rule.countries?.every((c) => /^[A-Z]{2}$/.test(c))) ctx.addIssue(customIssue("errors.form.countryCodes", {}, ["countries"]));
    if (rule.kind === "blocked_subs" && !rule.param) ctx.addIssue(customIssue("errors.form.blockableParam", {}, ["param"]));
    if ((rule.kind === "blocked_subs" || rule.kind === "blocked_ips") && !rule.blockedValues) ctx.addIssue(customIssue("errors.form.blockedValues", {}, ["blockedValues"]));
    const unreadable = rule.kind === "blocked_ips" && rule.blockedValues ? addressListIssue(rule.blockedValues, ["blockedValues"]) : null;
    if (unreadable) ctx.addIssue(unreadable);
    // The per-IP list of an offer counts every affiliate's conversions from the IP, pruned to the
    // offer's longest window: a rule that saw only one affiliate's would count short.
    if (rule.kind === "ip_limit" && rule.affiliateId) ctx.addIssue(customIssue("errors.form.ipLimitForEveryone", {}, ["affiliateId"]));
  })
  // Only the kind's own settings are kept: a threshold sent with a countries rule means nothing.
  .transform((rule) => ({
    ...rule,
    ...Object.fromEntries(RULE_SETTING_FIELDS.map((field) => [field, RULE_SETTINGS[rule.kind].includes(field) ? rule[field] : null])),
  }) as typeof rule);

/** A number a change may leave blank to keep (not to clear). */
const keptWholeNumber = (min: number, max: number) =>
  z
    .preprocess((v) => (v === "" || v === null ? undefined : v), wholeNumber(min, max).optional())
    .meta({ override: { type: ["integer", "null"], description: "Blank, null or absent: kept as it is." } });

/**
 * A list a change may leave blank to keep. Emptying it (an empty array, or text with no item in it,
 * such as ",") is refused with `emptyMessage`, as adding the rule without one is.
 */
const keptList = (max: number, emptyMessage: Parameters<typeof customIssue>[0]) =>
  z
    .preprocess((v, ctx) => {
      const empties = Array.isArray(v) ? v.length === 0 : typeof v === "string" && v.trim() !== "" && !/[^\s,]/.test(v);
      if (empties) ctx.issues.push({ ...customIssue(emptyMessage), input: v });
      return v;
    }, wordList(max))
    .transform((list) => (list.length ? list : undefined));

/** What a conversion rule's change may set, for conversions from then on: its setting and its action. Its kind stays. */
export const ruleChangeSchema = z
  .object({
    action: orNone(z.enum(["reject", "hold", "flag", ""]).optional()).transform((v) => v || undefined),
    threshold: keptWholeNumber(0, 10_000_000),
    windowMinutes: keptWholeNumber(1, 60 * 24 * 30),
    countries: keptList(300, "errors.form.countryCodes").transform((list) => list?.map((c) => c.toUpperCase())),
    param: orNone(blockableParam.optional()).transform((v) => v || undefined),
    blockedValues: keptList(500, "errors.form.blockedValues"),
  })
  .superRefine((change, ctx) => {
    if (change.countries && !change.countries.every((c) => /^[A-Z]{2}$/.test(c))) ctx.addIssue(customIssue("errors.form.countryCodes", {}, ["countries"]));
  })
  .refine(setsAnyOf("action", "threshold", "windowMinutes", "countries", "param", "blockedValues"), { message: localizable("errors.form.ruleChangeEmpty"), path: ["threshold"] });

export const holdInputSchema = z.object({ holdHours: optionalHours, capFallbackUrl: optionalText(2000) });

async function ownOffer(db: Executor, networkId: string, offerId: string) {
  const [offer] = await db.select({ id: offers.id }).from(offers).where(and(eq(offers.id, offerId), eq(offers.networkId, networkId)));
  if (!offer) throw new AppError("not_found", "errors.notFound.networkOffer");
}

async function assertGoal(db: Executor, offerId: string, goalKey: string | null) {
  if (goalKey === null || goalKey === DEFAULT_GOAL) return;
  const [goal] = await db.select({ id: offerGoals.id }).from(offerGoals).where(and(eq(offerGoals.offerId, offerId), eq(offerGoals.key, goalKey)));
  if (!goal) throw new AppError("invalid_input", "errors.program.unknownGoal", { field: "goalKey", detailCode: "unknown_goal", values: { key: goalKey } });
}

async function assertAffiliate(db: Executor, networkId: string, affiliateId: string | null) {
  if (affiliateId === null) return;
  const [member] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.networkId, networkId), eq(memberships.affiliateId, affiliateId), eq(memberships.status, "approved")));
  if (!member) throw new AppError("invalid_input", "errors.program.pickApprovedAffiliate", { field: "affiliateId" });
}

/** The network's approved affiliates, for the forms. */
export function listApprovedAffiliates(db: Executor, networkId: string) {
  return db
    .select({ id: organizations.id, name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.affiliateId))
    .where(and(eq(memberships.networkId, networkId), eq(memberships.status, "approved")))
    .orderBy(asc(organizations.name));
}

export async function addGoal(db: Executor, networkId: string, offerId: string, input: z.output<typeof goalInputSchema>) {
  await ownOffer(db, networkId, offerId);
  const id = createId("goal");
  const [row] = await db.insert(offerGoals).values({ id, offerId, ...input }).onConflictDoNothing().returning({ id: offerGoals.id });
  if (!row) throw new AppError("conflict", "errors.program.goalExists", { field: "key", values: { key: input.key } });
  return id;
}

/** A goal's new name or amounts, for its conversions from now on; those made keep what they were made with. */
export async function changeGoal(db: Executor, networkId: string, offerId: string, goalId: string, input: z.output<typeof goalChangeSchema>) {
  await ownOffer(db, networkId, offerId);
  const [row] = await db.update(offerGoals).set(input).where(and(eq(offerGoals.id, goalId), eq(offerGoals.offerId, offerId))).returning({ id: offerGoals.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkItem");
}

export async function addPayoutRule(db: Executor, networkId: string, offerId: string, input: z.output<typeof payoutRuleInputSchema>) {
  await ownOffer(db, networkId, offerId);
  await assertGoal(db, offerId, input.goalKey);
  await assertAffiliate(db, networkId, input.affiliateId);
  if (input.payout === undefined && input.revenue === undefined) throw new AppError("invalid_input", "errors.program.payoutOrRevenue", { field: "payout" });
  const id = createId("payoutRule");
  const { validFrom, ...terms } = input;
  await db.insert(payoutRules).values({
    id,
    networkId,
    offerId,
    ...terms,
    payout: input.payout ?? null,
    revenue: input.revenue ?? null,
    validFrom: await ruleStartAt(db, networkId, validFrom),
  });
  return id;
}

/** Changes a payout rule's amounts or start; conversions already made keep their amounts and the rule's id. */
export async function changePayoutRule(db: Executor, networkId: string, offerId: string, ruleId: string, input: z.output<typeof payoutRuleChangeSchema>) {
  const { validFrom, ...amounts } = input;
  const [row] = await db
    .update(payoutRules)
    .set({ ...amounts, ...(validFrom ? { validFrom: await ruleStartAt(db, networkId, validFrom) } : {}) })
    .where(and(eq(payoutRules.id, ruleId), eq(payoutRules.offerId, offerId), eq(payoutRules.networkId, networkId)))
    .returning({ id: payoutRules.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkItem");
}

export async function addCap(db: Executor, networkId: string, offerId: string, input: z.output<typeof capInputSchema>) {
  await ownOffer(db, networkId, offerId);
  await assertGoal(db, offerId, input.goalKey);
  await assertAffiliate(db, networkId, input.affiliateId);
  const id = createId("cap");
  await db.insert(caps).values({ id, networkId, offerId, ...input });
  return id;
}

/** A cap's new limit or action. Its counters stay: what this period used still counts against the new limit. */
export async function changeCap(db: Executor, networkId: string, offerId: string, capId: string, input: z.output<typeof capChangeSchema>) {
  const [row] = await db
    .update(caps)
    .set(input)
    .where(and(eq(caps.id, capId), eq(caps.offerId, offerId), eq(caps.networkId, networkId)))
    .returning({ id: caps.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkItem");
}

export async function addRule(db: Executor, networkId: string, offerId: string, input: z.output<typeof ruleInputSchema>) {
  await ownOffer(db, networkId, offerId);
  await assertAffiliate(db, networkId, input.affiliateId);
  const id = createId("rule");
  await db.insert(conversionRules).values({ id, networkId, offerId, ...input });
  return id;
}

/** Changes a conversion rule's setting or action; a setting its kind does not have is refused, not ignored. */
export async function changeRule(db: Executor, networkId: string, offerId: string, ruleId: string, input: z.output<typeof ruleChangeSchema>) {
  const [rule] = await db
    .select({ kind: conversionRules.kind })
    .from(conversionRules)
    .where(and(eq(conversionRules.id, ruleId), eq(conversionRules.offerId, offerId), eq(conversionRules.networkId, networkId)));
  if (!rule) throw new AppError("not_found", "errors.notFound.networkItem");
  for (const field of RULE_SETTING_FIELDS) {
    if (input[field] !== undefined && !RULE_SETTINGS[rule.kind].includes(field)) throw new AppError("invalid_input", "errors.program.notThisRulesSetting", { field, values: { kind: rule.kind } });
  }
  // The schema cannot know the kind: a blocked_ips rule's new entries are checked here.
  const { invalid } = rule.kind === "blocked_ips" && input.blockedValues ? parseAllowList(input.blockedValues) : { invalid: [] };
  if (invalid.length > 0) throw new AppError("invalid_input", "errors.form.notAnAddress", { field: "blockedValues", values: { addresses: invalid.join(", ") } });
  await db.update(conversionRules).set(input).where(eq(conversionRules.id, ruleId));
}

export async function setHold(db: Executor, networkId: string, offerId: string, input: z.output<typeof holdInputSchema>) {
  if (input.capFallbackUrl && !/^https?:\/\/[^\s/]+/i.test(input.capFallbackUrl)) {
    throw new AppError("invalid_input", "errors.program.fallbackUrlScheme", { field: "capFallbackUrl" });
  }
  const [row] = await db.update(offers).set({ ...input, updatedAt: new Date() }).where(and(eq(offers.id, offerId), eq(offers.networkId, networkId))).returning({ id: offers.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkOffer");
}

const PROGRAM_TABLES = { goal: offerGoals, payoutRule: payoutRules, cap: caps, rule: conversionRules } as const;
export const programPartSchema = z.enum(["goal", "payoutRule", "cap", "rule"]);
export type ProgramPart = z.output<typeof programPartSchema>;

/** Removes one goal, payout rule, cap or rule of an offer of the network's; a part of another offer is "not found". */
export async function removeProgramPart(db: Executor, networkId: string, offerId: string, part: ProgramPart, id: string) {
  const table = PROGRAM_TABLES[part];
  if (part === "goal") await assertGoalUnused(db, networkId, id);
  const [row] = await db
    .delete(table)
    .where(and(eq(table.id, id), eq(table.offerId, offerId), inArray(table.offerId, db.select({ id: offers.id }).from(offers).where(eq(offers.networkId, networkId)))))
    .returning({ id: table.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkItem");
}

/** A goal with conversions stays: their later postbacks name it, and their stats count it. */
async function assertGoalUnused(db: Executor, networkId: string, goalId: string) {
  const [goal] = await db.select({ key: offerGoals.key, offerId: offerGoals.offerId }).from(offerGoals).innerJoin(offers, eq(offers.id, offerGoals.offerId)).where(and(eq(offerGoals.id, goalId), eq(offers.networkId, networkId)));
  if (!goal) return;
  const [used] = await db.select({ id: conversions.id }).from(conversions).where(and(eq(conversions.offerId, goal.offerId), eq(conversions.goalKey, goal.key))).limit(1);
  if (used) throw new AppError("conflict", "errors.program.goalInUse", { field: "id", values: { key: goal.key } });
}

/** Everything of an offer's program, for its page: each cap with what it has used in its current period. */
export async function getOfferProgram(db: Executor, networkId: string, offerId: string, timeZone: string, now = new Date()) {
  await ownOffer(db, networkId, offerId);
  const [goals, rules, capRows, checks] = await Promise.all([
    db.select().from(offerGoals).where(eq(offerGoals.offerId, offerId)).orderBy(asc(offerGoals.createdAt)),
    db.select({ rule: payoutRules, affiliateName: organizations.name }).from(payoutRules).innerJoin(organizations, eq(organizations.id, payoutRules.affiliateId)).where(eq(payoutRules.offerId, offerId)).orderBy(asc(payoutRules.validFrom)),
    db.select().from(caps).where(eq(caps.offerId, offerId)).orderBy(asc(caps.createdAt)),
    db.select().from(conversionRules).where(eq(conversionRules.offerId, offerId)).orderBy(asc(conversionRules.createdAt)),
  ]);
  const capsWithUse = await withUse(db, capRows.map((cap) => ({ cap, timeZone })), now);
  return { goals, payoutRules: rules, caps: capsWithUse, rules: checks };
}

/** Each cap with what it has used in its current period, counted in its network's time zone. */
async function withUse(db: Executor, rows: { cap: Cap; timeZone: string }[], now: Date) {
  const periods = rows.map(({ cap, timeZone }) => periodStart(cap.period, timeZone, now));
  const counters = rows.length
    ? await db.select().from(capCounters).where(or(...rows.map(({ cap }, i) => and(eq(capCounters.capId, cap.id), eq(capCounters.periodStart, periods[i])))))
    : [];
  return rows.map(({ cap }, i) => {
    const used = Number(counters.find((u) => u.capId === cap.id && u.periodStart === periods[i])?.used ?? 0);
    const share = Number(cap.capLimit) > 0 ? used / Number(cap.capLimit) : 1;
    // Compared in ten-thousandths (the column's scale), as a cap's place is taken.
    const reached = Math.round(used * 10_000) >= Math.round(Number(cap.capLimit) * 10_000);
    return { ...cap, used, share, nearLimit: share >= 0.8, reached, periodStart: periods[i] };
  });
}

export type AffiliateCap = {
  id: string;
  goalKey: string | null;
  period: Cap["period"];
  metric: "count" | "payout";
  capLimit: string;
  /** A cap on this affiliate alone; otherwise every affiliate of the offer shares it. */
  yours: boolean;
  /** What this period has used of a cap of its own; null on a shared cap, whose use is others' traffic too. */
  used: number | null;
  reached: boolean;
};

/**
 * The caps an affiliate's conversions on these offers count against, as it may read them: never a
 * revenue cap (the network's earnings) nor a soft one (it stops nothing the affiliate sends), and
 * the use of its own caps only.
 */
export async function affiliateCaps(db: Executor, affiliateId: string, offerList: Pick<Offer, "id">[], now = new Date()) {
  const result = new Map<string, AffiliateCap[]>();
  if (offerList.length === 0) return result;
  const rows = await db
    .select({ cap: caps, timeZone: organizations.timeZone })
    .from(caps)
    .innerJoin(organizations, eq(organizations.id, caps.networkId))
    .where(and(inArray(caps.offerId, offerList.map((o) => o.id)), ne(caps.metric, "revenue"), ne(caps.action, "flag"), or(isNull(caps.affiliateId), eq(caps.affiliateId, affiliateId))))
    .orderBy(asc(caps.createdAt));
  for (const cap of await withUse(db, rows, now)) {
    const yours = cap.affiliateId !== null;
    const shown: AffiliateCap = { id: cap.id, goalKey: cap.goalKey, period: cap.period, metric: cap.metric as AffiliateCap["metric"], capLimit: cap.capLimit, yours, used: yours ? cap.used : null, reached: cap.reached };
    result.set(cap.offerId, [...(result.get(cap.offerId) ?? []), shown]);
  }
  return result;
}

/** A blocked_subs rule as the affiliate it applies to reads it: what is blocked, and what its conversions get. */
export type AffiliateBlock = { id: string; param: BlockableParam; blockedValues: string[]; action: "reject" | "hold"; yours: boolean };

/**
 * The sub ids and sources blocked for an affiliate on the offers it may promote (its own rules and
 * those for every affiliate), so it can stop sending them. A rule that only flags for review is
 * the network's to read, as a soft cap is.
 */
export async function affiliateBlocks(db: Executor, affiliateId: string, offerList: Pick<Offer, "id">[]) {
  const result = new Map<string, AffiliateBlock[]>();
  if (offerList.length === 0) return result;
  const rows = await db
    .select()
    .from(conversionRules)
    .where(and(inArray(conversionRules.offerId, offerList.map((o) => o.id)), eq(conversionRules.kind, "blocked_subs"), ne(conversionRules.action, "flag"), or(isNull(conversionRules.affiliateId), eq(conversionRules.affiliateId, affiliateId))))
    .orderBy(asc(conversionRules.createdAt));
  for (const rule of rows) {
    if (!rule.param || !rule.blockedValues) continue;
    const shown: AffiliateBlock = { id: rule.id, param: rule.param, blockedValues: rule.blockedValues, action: rule.action as AffiliateBlock["action"], yours: rule.affiliateId !== null };
    result.set(rule.offerId, [...(result.get(rule.offerId) ?? []), shown]);
  }
  return result;
}

/**
 * An affiliate's own payout on each goal of the offers it may promote: the goal's, or the payout
 * rule of its own in force now (`amountsFor`, the same choice a conversion makes).
 */
export type AffiliatePayout = { key: string; name: string; payout: string; kind: string; byRule: boolean };

export async function affiliatePayouts(db: Executor, affiliateId: string, offerList: Offer[], now = new Date()) {
  if (offerList.length === 0) return new Map<string, AffiliatePayout[]>();
  const offerIds = offerList.map((o) => o.id);
  const [goals, rules] = await Promise.all([
    db.select().from(offerGoals).where(inArray(offerGoals.offerId, offerIds)).orderBy(asc(offerGoals.createdAt)),
    db.select().from(payoutRules).where(and(inArray(payoutRules.offerId, offerIds), eq(payoutRules.affiliateId, affiliateId))),
  ]);
  const result = new Map<string, AffiliatePayout[]>();
  for (const offer of offerList) {
    const terms = [resolveGoal(offer, [], undefined), ...goals.filter((g) => g.offerId === offer.id).map((g) => ({ ...g, holdHours: g.holdHours }))];
    const own = rules.filter((r) => r.offerId === offer.id);
    result.set(
      offer.id,
      terms.map((goal) => {
        const winner = winningRule(own, goal.key, now, "payout");
        return { key: goal.key, name: goal.name, payout: winner?.payout ?? goal.payout, kind: winner ? winner.payoutKind : goal.payoutKind, byRule: Boolean(winner) };
      }),
    );
  }
  return result;
}
