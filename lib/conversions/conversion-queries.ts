import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { conversions, offers, organizations } from "@/db/schema";
import type { Viewer } from "@/lib/access/users";

const affiliateOrg = alias(organizations, "affiliate_org");

export type ConversionFilters = { status?: string; goal?: string; flagged?: boolean; rule?: string };

/** The viewer's conversions, newest first: a network's, a merchant's offers', or an affiliate's own. */
export function listConversions(db: Executor, viewer: Viewer, options: { limit: number } & ConversionFilters) {
  const scope: SQL =
    viewer.orgKind === "network" ? eq(conversions.networkId, viewer.orgId)
    : viewer.orgKind === "merchant" ? eq(conversions.merchantId, viewer.orgId)
    : eq(conversions.affiliateId, viewer.orgId);
  return db
    .select({
      id: conversions.id,
      clickId: conversions.clickId,
      transactionId: conversions.transactionId,
      status: conversions.status,
      originalStatus: conversions.originalStatus,
      goalKey: conversions.goalKey,
      holdUntil: conversions.holdUntil,
      flagged: conversions.flagged,
      decisions: conversions.decisions,
      payoutRuleId: conversions.payoutRuleId,
      payout: conversions.payout,
      revenue: conversions.revenue,
      currency: conversions.currency,
      createdAt: conversions.createdAt,
      updatedAt: conversions.updatedAt,
      offerName: offers.name,
      affiliateName: affiliateOrg.name,
    })
    .from(conversions)
    .innerJoin(offers, eq(offers.id, conversions.offerId))
    .innerJoin(affiliateOrg, eq(affiliateOrg.id, conversions.affiliateId))
    .where(and(scope, ...filterConditions(options)))
    .orderBy(desc(conversions.createdAt))
    .limit(options.limit);
}

/** The list's filters as conditions: status, goal, flagged, and a rule kind that acted on it. */
export function filterConditions(filters: ConversionFilters): (SQL | undefined)[] {
  return [
    filters.status ? eq(conversions.status, filters.status as "lead") : undefined,
    filters.goal ? eq(conversions.goalKey, filters.goal) : undefined,
    filters.flagged ? eq(conversions.flagged, true) : undefined,
    filters.rule ? sql`${conversions.decisions} @> ${JSON.stringify([{ kind: filters.rule }])}::jsonb` : undefined,
  ];
}
