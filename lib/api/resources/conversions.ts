import { z } from "zod";
import type { Executor } from "@/db/client";
import type { Viewer } from "@/lib/access/users";
import { listConversions } from "@/lib/conversions/conversion-queries";
import { changeStatusManually, decideInBulk, previewBulkDecision } from "@/lib/conversions/conversions";
import { bulkDecisionSchema, statusChangeSchema } from "@/lib/conversions/statuses";
import { conversionTimeline } from "@/lib/conversions/timeline";
import { dispatchCommitted } from "@/lib/outgoing/dispatcher";
import { DECISION_KINDS } from "@/lib/program/terms";
import { AppError } from "@/lib/platform/errors";
import { operation } from "../operation";
import { pageQuery, pageSchema } from "../pagination";
import { idParams, money, oneOf, timestamp } from "../schemas";

const conversionQuery = pageQuery.extend({
  status: z.enum(["lead", "approved", "rejected", "hold"]).optional(),
  goal: z.string().max(40).optional().meta({ description: "A goal key, e.g. `deposit`." }),
  flagged: z.enum(["true", "false"]).optional().transform((v) => v === "true").meta({ description: "Only those a rule flagged for review." }),
  rule: z.enum(DECISION_KINDS).optional().meta({ description: "Only those this kind of rule or cap acted on." }),
  q: z.string().trim().max(128).optional().meta({ description: "An id, matched exactly: conversion, click, your tracker's click, transaction or delivery id." }),
});

const conversionSchema = z
  .object({
    id: z.string(),
    clickId: z.string(),
    transactionId: z.string().nullable(),
    status: oneOf(["lead", "approved", "rejected", "hold"]),
    originalStatus: z.string().nullable().meta({ description: "The merchant's own status word." }),
    goalKey: z.string(),
    offerName: z.string(),
    affiliateName: z.string(),
    payout: money.nullable().optional().meta({ description: "What the affiliate earns; absent for a merchant." }),
    revenue: money.nullable().optional().meta({ description: "What the network earns; absent for an affiliate." }),
    currency: z.string(),
    payoutRuleId: z.string().nullable().optional().meta({ description: "The payout rule that set the payout (a network's)." }),
    revenueRuleId: z.string().nullable().optional().meta({ description: "The payout rule that set the revenue (a network's)." }),
    holdUntil: timestamp.nullable().meta({ description: "When a held conversion is approved unless rejected first." }),
    flagged: z.boolean(),
    decisions: z.array(z.object({ kind: z.string(), action: z.string(), reason: z.string() }).loose()).meta({ description: "What the offer's rules and caps decided." }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Conversion" });

type ConversionRow = Awaited<ReturnType<typeof listConversions>>["rows"][number];

/** A party's view of a conversion: the merchant never reads the payout, the affiliate never the revenue. */
function forParty(viewer: Viewer, row: ConversionRow): z.input<typeof conversionSchema> {
  const { payout, revenue, payoutRuleId, revenueRuleId, ...rest } = row;
  return {
    ...rest,
    ...(viewer.orgKind !== "merchant" ? { payout } : {}),
    ...(viewer.orgKind !== "affiliate" ? { revenue } : {}),
    ...(viewer.orgKind === "network" ? { payoutRuleId, revenueRuleId } : {}),
  };
}

async function oneConversion(db: Executor, viewer: Viewer, conversionId: string) {
  const { rows } = await listConversions(db, viewer, { limit: 1, q: conversionId });
  const row = rows.find((r) => r.id === conversionId);
  if (!row) throw new AppError("not_found", "errors.notFound.conversion");
  return forParty(viewer, row);
}

const timelineSchema = z
  .object({
    viewer: z.enum(["network", "merchant", "affiliate"]),
    conversion: z.object({ id: z.string(), status: z.string(), createdAt: z.string() }).loose(),
    deliveries: z.array(z.object({ id: z.string(), state: z.string() }).loose()),
    entries: z
      .array(z.object({ kind: z.enum(["click", "incoming", "status", "attempt", "next_attempt", "hold_ends"]), at: z.string() }).loose())
      .meta({ description: "Everything that happened, oldest first: the click, incoming requests, status changes, delivery attempts, and what is still to come." }),
  })
  .meta({ id: "ConversionTimeline", description: "The same story as the conversion's timeline page, with what the caller may not read left out." });

/** Conversions: a network's, a merchant's offers', an affiliate's own; a network changes their status. */
export const conversionOperations = [
  operation({
    id: "listConversions",
    method: "get",
    path: "/conversions",
    tag: "Conversions",
    summary: "List conversions, newest first",
    permission: "conversions:read",
    query: conversionQuery,
    response: pageSchema(conversionSchema),
    handler: async ({ query }, { db, principal }) => {
      const { limit, cursor, ...filters } = query;
      try {
        const page = await listConversions(db, principal, { limit, after: cursor, ...filters });
        return { data: page.rows.map((row) => forParty(principal, row)), nextCursor: page.older };
      } catch (error) {
        // The page's cursor is its `after` link; the API calls it `cursor`.
        if (error instanceof AppError && error.field === "after") throw new AppError("invalid_input", "errors.input.invalidCursor", { field: "cursor" });
        throw error;
      }
    },
  }),
  operation({
    id: "getConversion",
    method: "get",
    path: "/conversions/{id}",
    tag: "Conversions",
    summary: "Get one conversion",
    permission: "conversions:read",
    params: idParams,
    response: conversionSchema,
    handler: ({ params }, { db, principal }) => oneConversion(db, principal, params.id),
  }),
  operation({
    id: "changeConversionStatus",
    method: "patch",
    path: "/conversions/{id}",
    tag: "Conversions",
    summary: "Change a conversion's status (networks)",
    description: "The same rules as the conversions page (rejected is final; approved only goes to rejected, as a reversal) and the same relays: each matching postback is sent.",
    permission: "conversions:write",
    params: idParams,
    body: statusChangeSchema,
    response: conversionSchema.extend({ relayed: z.number().int().meta({ description: "Postbacks queued by the change." }) }).meta({ id: "ConversionChanged" }),
    handler: async ({ params, body }, { db, principal, after }) => {
      const outcome = await db.transaction((tx) => changeStatusManually(tx, { orgId: principal.orgId, apiKeyId: principal.apiKeyId }, params.id, body.status));
      after(() => dispatchCommitted(outcome));
      return { ...(await oneConversion(db, principal, params.id)), relayed: outcome.deliveries.length };
    },
  }),
  operation({
    id: "decideConversions",
    method: "post",
    path: "/conversions/decisions",
    tag: "Conversions",
    summary: "Approve or reject every conversion a filter matches (networks)",
    description:
      "The conversions page's bulk decision: pending and held conversions matching the filters (approved ones too with `flagged: true`: the review a flag asks for, which clears it). `dryRun: true` only counts the conversions and the postbacks it would send, and returns `asOf`; send that `asOf` back so the decision moves no conversion made after what you counted.",
    permission: "conversions:write",
    body: bulkDecisionSchema.extend({ dryRun: z.boolean().default(false).meta({ description: "Only count what the decision would do." }) }),
    response: z
      .object({
        dryRun: z.boolean(),
        conversions: z.number().int().meta({ description: "Conversions matched (dry run) or decided." }),
        postbacks: z.number().int().meta({ description: "Postbacks it sends (dry run) or queued." }),
        asOf: timestamp,
      })
      .meta({ id: "BulkDecisionResult" }),
    handler: async ({ body }, { db, principal, after }) => {
      const { to, asOf, dryRun, ...filters } = body;
      if (dryRun) {
        const preview = await previewBulkDecision(db, principal.orgId, { filters, to, asOf });
        return { dryRun, conversions: preview.conversions, postbacks: preview.postbacks, asOf: preview.asOf };
      }
      const decidedAt = asOf ?? new Date();
      const { moved, deliveries, endedHolds } = await decideInBulk(db, { orgId: principal.orgId, apiKeyId: principal.apiKeyId }, { filters, to, asOf: decidedAt });
      after(() => dispatchCommitted({ deliveries, endedHolds }));
      return { dryRun, conversions: moved, postbacks: deliveries.length, asOf: decidedAt };
    },
  }),
  operation({
    id: "getConversionTimeline",
    method: "get",
    path: "/conversions/{id}/timeline",
    tag: "Conversions",
    summary: "One conversion's whole story",
    permission: "conversions:read",
    params: idParams,
    response: timelineSchema,
    handler: ({ params }, { db, principal }) => conversionTimeline(db, principal, params.id),
  }),
];
