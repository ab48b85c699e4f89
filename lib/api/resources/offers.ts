import { z } from "zod";
import type { Executor } from "@/db/client";
import type { Offer as OfferRow } from "@/db/schema";
import type { ApiKeyPrincipal } from "@/lib/access/api-keys";
import { AppError } from "@/lib/platform/errors";
import { BLOCKABLE_PARAMS, CAP_PERIODS } from "@/lib/program/terms";
import { affiliateBlocks, affiliateCaps, affiliatePayouts, getOfferProgram, setHold, holdInputSchema } from "@/lib/program/manage";
import { organizationTimeZone } from "@/lib/access/organizations";
import {
  createOffer,
  getNetworkOffer,
  listAffiliateOffers,
  listMerchantOffers,
  listNetworkOffers,
  offerInputSchema,
  setOfferStatus,
  updateOffer,
  offerInputOf,
} from "@/lib/tracking/offers";
import { operation } from "../operation";
import { pageFrom, pageOf, pageQuery, pageSchema } from "../pagination";
import { id, idParams, money, timestamp } from "../schemas";
import { patched, patchOf } from "./common";
import { capSchema, goalSchema, payoutRuleSchema, ruleSchema } from "./program";

const amountKind = z.enum(["flat", "percent"]).meta({ description: "flat: in the offer's currency; percent: of the sale amount." });
const rate = money.meta({ description: "An amount in the offer's currency, or a percentage of the sale amount (see its kind)." });

const programSchema = z
  .object({
    goals: z.array(goalSchema),
    payoutRules: z.array(payoutRuleSchema),
    caps: z.array(capSchema),
    rules: z.array(ruleSchema),
  })
  .meta({ id: "OfferProgram", description: "Goals beyond the offer's default one, payout rules, caps and conversion rules." });

/** One schema for every party; each party's handler fills only what its pages show (the network all). */
const offerSchema = z
  .object({
    id: id("The offer's id."),
    name: z.string(),
    status: z.enum(["active", "paused"]),
    currency: z.string(),
    networkId: z.string(),
    networkName: z.string().optional().meta({ description: "Affiliates and merchants." }),
    merchantId: z.string().optional().meta({ description: "Networks." }),
    merchantName: z.string().optional().meta({ description: "Networks." }),
    description: z.string().nullable().optional().meta({ description: "Networks." }),
    landingUrl: z.string().optional().meta({ description: "Networks: the landing URL with macros." }),
    payoutKind: amountKind.optional(),
    defaultPayout: rate.optional().meta({ description: "Networks: the default goal's payout." }),
    revenueKind: amountKind.optional(),
    defaultRevenue: rate.optional().meta({ description: "Networks: the default goal's revenue." }),
    allowMultipleConversions: z.boolean().optional(),
    clickLifetimeHours: z.number().int().optional(),
    holdHours: z.number().int().nullable().optional().meta({ description: "Networks: new conversions wait this long in hold, then are approved." }),
    capFallbackUrl: z.string().nullable().optional().meta({ description: "Networks: where clicks go while a cap is reached." }),
    program: programSchema.optional().meta({ description: "Networks, on one offer: its goals, payout rules, caps and rules." }),
    payouts: z
      .array(
        z.object({
          goalKey: z.string(),
          goalName: z.string(),
          payoutKind: amountKind,
          payout: rate,
          yourRate: z.boolean().meta({ description: "A payout rule of yours sets it." }),
        }),
      )
      .optional()
      .meta({ description: "Affiliates: your payout on each goal, as it stands now." }),
    caps: z
      .array(
        z.object({
          id: z.string(),
          goalKey: z.string().nullable().meta({ description: "The goal it counts; null for every goal." }),
          period: z.enum(CAP_PERIODS),
          metric: z.enum(["count", "payout"]),
          capLimit: money,
          yours: z.boolean().meta({ description: "A cap on you alone; otherwise every affiliate of the offer shares it." }),
          used: z.number().nullable().meta({ description: "What the current period has used of a cap of yours; null on a shared cap." }),
          reached: z.boolean().meta({ description: "Full for the current period: conversions over it get the network's over-cap treatment." }),
        }),
      )
      .optional()
      .meta({ description: "Affiliates: the caps your conversions on the offer count against (days in the network's time zone)." }),
    blockedSubs: z
      .array(
        z.object({
          id: z.string(),
          param: z.enum(BLOCKABLE_PARAMS).meta({ description: "sub1…sub10 or source, as on your tracking link." }),
          blockedValues: z.array(z.string()).meta({ description: "The values blocked, matched whole and regardless of case." }),
          action: z.enum(["reject", "hold"]).meta({ description: "What conversions from such clicks get; rejected ones' clicks go to the offer's fallback URL when it has one." }),
          yours: z.boolean().meta({ description: "Blocked for you alone; otherwise for every affiliate of the offer." }),
        }),
      )
      .optional()
      .meta({ description: "Affiliates: the sub ids and sources the network blocks on the offer for you." }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Offer" });

type OfferOut = z.input<typeof offerSchema> & { id: string; createdAt: Date };

function networkView({ offer, merchantName }: { offer: OfferRow; merchantName: string }): OfferOut {
  return {
    id: offer.id,
    name: offer.name,
    status: offer.status,
    currency: offer.currency,
    networkId: offer.networkId,
    merchantId: offer.merchantId,
    merchantName,
    description: offer.description,
    landingUrl: offer.landingUrl,
    payoutKind: offer.payoutKind,
    defaultPayout: offer.defaultPayout,
    revenueKind: offer.revenueKind,
    defaultRevenue: offer.defaultRevenue,
    allowMultipleConversions: offer.allowMultipleConversions,
    clickLifetimeHours: offer.clickLifetimeHours,
    holdHours: offer.holdHours,
    capFallbackUrl: offer.capFallbackUrl,
    createdAt: offer.createdAt,
    updatedAt: offer.updatedAt,
  };
}

function partyView({ offer, networkName }: { offer: OfferRow; networkName: string }): OfferOut {
  return { id: offer.id, name: offer.name, status: offer.status, currency: offer.currency, networkId: offer.networkId, networkName, createdAt: offer.createdAt, updatedAt: offer.updatedAt };
}

async function affiliateViews(db: Executor, affiliateId: string, rows: { offer: OfferRow; networkName: string }[]): Promise<OfferOut[]> {
  const offerList = rows.map((r) => r.offer);
  const [payouts, caps, blocks] = await Promise.all([affiliatePayouts(db, affiliateId, offerList), affiliateCaps(db, affiliateId, offerList), affiliateBlocks(db, affiliateId, offerList)]);
  return rows.map((row) => ({
    ...partyView(row),
    payouts: (payouts.get(row.offer.id) ?? []).map((g) => ({ goalKey: g.key, goalName: g.name, payoutKind: g.kind as "flat" | "percent", payout: g.payout, yourRate: g.byRule })),
    caps: caps.get(row.offer.id) ?? [],
    blockedSubs: blocks.get(row.offer.id) ?? [],
  }));
}

/** The network's own offer row; another's, or none, answers 404. */
async function ownOfferRow(db: Executor, networkId: string, offerId: string) {
  const row = await getNetworkOffer(db, networkId, offerId);
  if (!row) throw new AppError("not_found", "errors.notFound.networkOffer");
  return row;
}

/** The network's offer with its program, as `GET /offers/{id}` answers it. */
async function networkOffer(db: Executor, networkId: string, offerId: string): Promise<OfferOut> {
  const row = await ownOfferRow(db, networkId, offerId);
  const program = await getOfferProgram(db, networkId, offerId, await organizationTimeZone(db, networkId));
  return {
    ...networkView(row),
    program: {
      goals: program.goals,
      payoutRules: program.payoutRules.map(({ rule, affiliateName }) => ({ ...rule, affiliateName })),
      caps: program.caps,
      rules: program.rules,
    },
  };
}

async function offerFor(db: Executor, principal: ApiKeyPrincipal, offerId: string): Promise<OfferOut> {
  if (principal.orgKind === "network") return networkOffer(db, principal.orgId, offerId);
  const rows = principal.orgKind === "affiliate" ? await listAffiliateOffers(db, principal.orgId, undefined, offerId) : await listMerchantOffers(db, principal.orgId, undefined, offerId);
  if (rows.length === 0) throw new AppError("not_found", "errors.notFound.visibleOffer");
  return principal.orgKind === "affiliate" ? (await affiliateViews(db, principal.orgId, rows))[0] : partyView(rows[0]);
}


const offerPatchSchema = patchOf(offerInputSchema);
const holdPatchSchema = patchOf(holdInputSchema);

export const offerOperations = [
  operation({
    id: "listOffers",
    method: "get",
    path: "/offers",
    tag: "Offers",
    summary: "List the offers you run, promote or are the merchant of",
    description: "A network lists its offers; an affiliate the offers of networks that approved it, with its payout on each goal; a merchant the offers run for it.",
    permission: "offers:read",
    query: pageQuery,
    response: pageSchema(offerSchema),
    handler: async ({ query }, { db, principal }) => {
      const page = pageFrom(query);
      if (principal.orgKind === "network") {
        return pageOf((await listNetworkOffers(db, principal.orgId, page)).map((row) => ({ ...networkView(row), cursorAt: row.cursorAt })), query, (o) => o.cursorAt);
      }
      if (principal.orgKind === "affiliate") {
        const rows = await listAffiliateOffers(db, principal.orgId, page);
        const views = await affiliateViews(db, principal.orgId, rows);
        return pageOf(views.map((view, i) => ({ ...view, cursorAt: rows[i].cursorAt })), query, (o) => o.cursorAt);
      }
      return pageOf((await listMerchantOffers(db, principal.orgId, page)).map((row) => ({ ...partyView(row), cursorAt: row.cursorAt })), query, (o) => o.cursorAt);
    },
  }),
  operation({
    id: "getOffer",
    method: "get",
    path: "/offers/{id}",
    tag: "Offers",
    summary: "Get one offer (a network's with its program)",
    permission: "offers:read",
    params: idParams,
    response: offerSchema,
    handler: ({ params }, { db, principal }) => offerFor(db, principal, params.id),
  }),
  operation({
    id: "createOffer",
    method: "post",
    path: "/offers",
    tag: "Offers",
    summary: "Create an offer (networks)",
    description: "The same checks as the offer form: a merchant organization, a landing URL with known macros and Postline's {click_id}.",
    permission: "offers:write",
    body: offerInputSchema,
    response: offerSchema,
    status: 201,
    handler: async ({ body }, { db, principal }) => networkOffer(db, principal.orgId, await createOffer(db, principal.orgId, body)),
  }),
  operation({
    id: "updateOffer",
    method: "patch",
    path: "/offers/{id}",
    tag: "Offers",
    summary: "Update an offer, or pause and resume it (networks)",
    description: "Send only the fields to change; the others keep their values. `{ \"status\": \"paused\" }` pauses the offer, `active` resumes it.",
    permission: "offers:write",
    params: idParams,
    body: offerPatchSchema,
    response: offerSchema,
    handler: async ({ params, body }, { db, principal }) => {
      const row = await ownOfferRow(db, principal.orgId, params.id);
      const changes = Object.keys(body);
      // Pausing alone is the status switch of the offers page: it does not re-check the other fields.
      if (body.status && changes.length === 1) await setOfferStatus(db, principal.orgId, params.id, body.status);
      else if (changes.length > 0) await updateOffer(db, principal.orgId, params.id, patched(offerInputOf(row.offer), body));
      return networkOffer(db, principal.orgId, params.id);
    },
  }),
  operation({
    id: "setOfferHold",
    method: "patch",
    path: "/offers/{id}/hold",
    tag: "Offer program",
    summary: "Set the offer's hold period and the URL clicks go to while capped (networks)",
    description: "Send only the fields to change; null clears one.",
    permission: "offers:write",
    params: idParams,
    body: holdPatchSchema,
    response: offerSchema,
    handler: async ({ params, body }, { db, principal }) => {
      const row = await ownOfferRow(db, principal.orgId, params.id);
      await setHold(db, principal.orgId, params.id, patched({ holdHours: row.offer.holdHours, capFallbackUrl: row.offer.capFallbackUrl }, body));
      return networkOffer(db, principal.orgId, params.id);
    },
  }),
];
