import { and, desc, eq, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { conversions, offers, organizations } from "@/db/schema";
import type { SessionUser } from "@/lib/access/users";

const affiliateOrg = alias(organizations, "affiliate_org");

/** The viewer's conversions, newest first: a network's, a merchant's offers', or an affiliate's own. */
export function listConversions(db: Executor, viewer: SessionUser, options: { limit: number; status?: string }) {
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
    .where(and(scope, options.status ? eq(conversions.status, options.status as "lead") : undefined))
    .orderBy(desc(conversions.createdAt))
    .limit(options.limit);
}
