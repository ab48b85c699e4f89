import { z } from "zod";
import type { Executor } from "@/db/client";
import { AppError } from "@/lib/platform/errors";
import {
  addCap,
  addGoal,
  addPayoutRule,
  addRule,
  capChangeSchema,
  capInputSchema,
  changeCap,
  changeGoal,
  changePayoutRule,
  changeRule,
  getOfferProgram,
  goalChangeSchema,
  goalInputSchema,
  payoutRuleChangeSchema,
  payoutRuleInputSchema,
  type ProgramPart,
  removeProgramPart,
  ruleChangeSchema,
  ruleInputSchema,
} from "@/lib/program/manage";
import { organizationTimeZone } from "@/lib/access/organizations";
import { BLOCKABLE_PARAMS, CAP_PERIODS, RULE_KINDS } from "@/lib/program/terms";
import { operation } from "../operation";
import { id, money, okSchema, timestamp } from "../schemas";

const amountKind = z.enum(["flat", "percent"]).meta({ description: "flat: in the offer's currency; percent: of the sale amount." });
const goalKey = z.string().nullable().meta({ description: "The goal's key; null for every goal of the offer." });

export const goalSchema = z
  .object({
    id: id("The goal's id."),
    key: z.string().meta({ description: "What postbacks name it by (goal=deposit)." }),
    name: z.string(),
    payoutKind: amountKind,
    payout: money,
    revenueKind: amountKind,
    revenue: money,
    multiple: z.boolean().meta({ description: "Many per click, told apart by the transaction id." }),
    holdHours: z.number().int().nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "Goal" });

export const payoutRuleSchema = z
  .object({
    id: id("The payout rule's id."),
    affiliateId: z.string(),
    affiliateName: z.string(),
    goalKey,
    payoutKind: amountKind,
    payout: money.nullable().meta({ description: "Null keeps the goal's own payout." }),
    revenueKind: amountKind,
    revenue: money.nullable().meta({ description: "Null keeps the goal's own revenue." }),
    validFrom: timestamp,
    createdAt: timestamp,
  })
  .meta({ id: "PayoutRule" });

export const capSchema = z
  .object({
    id: id("The cap's id."),
    goalKey,
    affiliateId: z.string().nullable().meta({ description: "One affiliate on the offer; null for all." }),
    period: z.enum(CAP_PERIODS),
    metric: z.enum(["count", "payout", "revenue"]),
    capLimit: money,
    action: z.enum(["reject", "hold", "zero_payout", "flag"]),
    used: z.number().meta({ description: "What the current period has used, in the organization's time zone." }),
    periodStart: z.string().meta({ description: "The current period's first day (or `total`)." }),
    nearLimit: z.boolean().meta({ description: "80% or more used." }),
    reached: z.boolean().meta({ description: "Full for the current period: new conversions get the cap's action." }),
    createdAt: timestamp,
  })
  .meta({ id: "Cap" });

export const ruleSchema = z
  .object({
    id: id("The rule's id."),
    kind: z.enum(RULE_KINDS),
    action: z.enum(["reject", "hold", "flag"]),
    affiliateId: z.string().nullable().meta({ description: "One affiliate's conversions only; null for every affiliate's." }),
    threshold: z.number().int().nullable(),
    windowMinutes: z.number().int().nullable(),
    countries: z.array(z.string()).nullable(),
    param: z.enum(BLOCKABLE_PARAMS).nullable().meta({ description: "The click parameter a blocked_subs rule reads." }),
    blockedValues: z.array(z.string()).nullable().meta({ description: "The values a blocked_subs rule blocks, matched whole and regardless of case." }),
    createdAt: timestamp,
  })
  .meta({ id: "ConversionRule" });

async function programOf(db: Executor, networkId: string, offerId: string) {
  const program = await getOfferProgram(db, networkId, offerId, await organizationTimeZone(db, networkId));
  return { ...program, payoutRules: program.payoutRules.map(({ rule, affiliateName }) => ({ ...rule, affiliateName })) };
}

type Program = Awaited<ReturnType<typeof programOf>>;

/** The add and remove operations of one kind of program part, under /offers/{id}/<path>, and its change where it has one. */
function partOperations<B extends z.ZodType, R extends z.ZodType, C extends z.ZodType = z.ZodNever>(def: {
  part: ProgramPart;
  path: string;
  noun: string;
  list: "goals" | "payoutRules" | "caps" | "rules";
  body: B;
  response: R;
  description?: string;
  add: (db: Executor, networkId: string, offerId: string, input: z.output<B>) => Promise<string>;
  change?: { summary: string; description: string; body: C; apply: (db: Executor, networkId: string, offerId: string, partId: string, input: z.output<C>) => Promise<void> };
}) {
  const partId = `${def.part}Id`;
  const Part = `${def.part[0].toUpperCase()}${def.part.slice(1)}`;
  /** The part as the offer's program lists it now; gone meanwhile, a 404. */
  const listed = async (db: Executor, networkId: string, offerId: string, id: string) => {
    const found = ((await programOf(db, networkId, offerId))[def.list] as Program[typeof def.list]).find((p) => p.id === id);
    if (!found) throw new AppError("not_found", "errors.program.removedMeanwhile", { values: { part: def.part } });
    return found as z.input<R>;
  };
  const change = def.change;
  return [
    operation({
      id: `add${Part}`,
      method: "post",
      path: `/offers/{id}/${def.path}`,
      tag: "Offer program",
      summary: `Add a ${def.noun} to an offer (networks)`,
      ...(def.description ? { description: def.description } : {}),
      permission: "offers:write",
      params: z.object({ id: id("The offer's id.") }),
      body: def.body,
      response: def.response,
      status: 201,
      handler: async ({ params, body }, { db, principal }) => listed(db, principal.orgId, params.id, await def.add(db, principal.orgId, params.id, body as z.output<B>)),
    }),
    ...(change
      ? [
          operation({
            id: `change${Part}`,
            method: "patch",
            path: `/offers/{id}/${def.path}/{${partId}}`,
            tag: "Offer program",
            summary: change.summary,
            description: change.description,
            permission: "offers:write",
            params: z.object({ id: id("The offer's id."), [partId]: id(`The ${def.noun}'s id.`) }),
            body: change.body,
            response: def.response,
            handler: async ({ params, body }, { db, principal }) => {
              const changedId = (params as Record<string, string>)[partId];
              await change.apply(db, principal.orgId, params.id, changedId, body as z.output<C>);
              return listed(db, principal.orgId, params.id, changedId);
            },
          }),
        ]
      : []),
    operation({
      id: `remove${Part}`,
      method: "delete",
      path: `/offers/{id}/${def.path}/{${partId}}`,
      tag: "Offer program",
      summary: `Remove a ${def.noun} from an offer (networks)`,
      permission: "offers:write",
      params: z.object({ id: id("The offer's id."), [partId]: id(`The ${def.noun}'s id.`) }),
      response: okSchema,
      handler: async ({ params }, { db, principal }) => {
        await removeProgramPart(db, principal.orgId, params.id, def.part, (params as Record<string, string>)[partId]);
        return { ok: true as const };
      },
    }),
  ];
}

/** A network's program on one of its offers: the same functions and schemas as the offer page's forms. */
export const programOperations = [
  ...partOperations({
    part: "goal",
    path: "goals",
    noun: "goal",
    list: "goals",
    body: goalInputSchema,
    response: goalSchema,
    description: "A goal with conversions cannot be removed: their later postbacks name it.",
    add: addGoal,
    change: {
      summary: "Change a goal's name, amounts or hold (networks)",
      description: "For conversions from now on; those already made keep their amounts and holds. The key stays (postbacks name the goal by it), and so does `multiple`.",
      body: goalChangeSchema,
      apply: changeGoal,
    },
  }),
  ...partOperations({
    part: "payoutRule",
    path: "payout-rules",
    noun: "payout rule",
    list: "payoutRules",
    body: payoutRuleInputSchema,
    response: payoutRuleSchema,
    description: "For one approved affiliate, on the whole offer or one goal (goalKey), from validFrom on (a timestamp, or a day such as 2026-12-10: its start in the network's time zone; absent: now); set a payout, a revenue, or both.",
    add: addPayoutRule,
    change: {
      summary: "Change a payout rule's amounts or start (networks)",
      description: "For conversions from now on; those already made keep their amounts. The affiliate and the goal stay (remove the rule and add another to change them).",
      body: payoutRuleChangeSchema,
      apply: changePayoutRule,
    },
  }),
  ...partOperations({
    part: "cap",
    path: "caps",
    noun: "cap",
    list: "caps",
    body: capInputSchema,
    response: capSchema,
    add: addCap,
    change: {
      summary: "Change a cap's limit or what happens over it (networks)",
      description: "What the current period has used stays counted: raising a daily cap from 100 to 150 lets 50 more through today, not 150.",
      body: capChangeSchema,
      apply: changeCap,
    },
  }),
  ...partOperations({
    part: "rule",
    path: "rules",
    noun: "conversion rule",
    list: "rules",
    body: ruleInputSchema,
    response: ruleSchema,
    description:
      "min/max_click_seconds and ip_limit need a threshold (ip_limit a windowMinutes too); countries needs two-letter codes; blocked_subs needs a param (sub1…sub10 or source) and blockedValues; blocked_ips needs blockedValues of addresses or CIDR ranges (IPv4 or IPv6). With affiliateId the rule checks that affiliate's conversions only (not a per-IP rule, which counts every affiliate's). A blocked_subs or blocked_ips rule that rejects also sends that traffic's clicks to the offer's fallback URL, when it has one.",
    add: addRule,
    change: {
      summary: "Change a conversion rule's setting or action (networks)",
      description: "For conversions from now on; the kind stays. A setting the kind does not have (a threshold on a countries rule, a window on a time rule, blockedValues on any but blocked_subs and blocked_ips; a param on blocked_ips) is refused. Whose it is (affiliateId) stays: remove the rule and add another to change it. A per-IP rule's count goes on with its new window.",
      body: ruleChangeSchema,
      apply: changeRule,
    },
  }),
];
