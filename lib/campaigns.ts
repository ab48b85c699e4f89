import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { campaigns, offers, trackingLinks } from "@/db/schema";

export function listCampaigns(db: Executor, affiliateId: string) {
  return db
    .select({ campaign: campaigns, offerName: offers.name })
    .from(campaigns)
    .innerJoin(offers, eq(offers.id, campaigns.offerId))
    .where(eq(campaigns.affiliateId, affiliateId))
    .orderBy(asc(campaigns.name));
}

/** A campaign of the affiliate's, with its links; null for another affiliate's id. */
export async function getCampaign(db: Executor, affiliateId: string, campaignId: string) {
  const [row] = await db
    .select({ campaign: campaigns, offerName: offers.name })
    .from(campaigns)
    .innerJoin(offers, eq(offers.id, campaigns.offerId))
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.affiliateId, affiliateId)))
    .limit(1);
  if (!row) return null;
  const links = await db
    .select()
    .from(trackingLinks)
    .where(eq(trackingLinks.campaignId, campaignId))
    .orderBy(asc(trackingLinks.createdAt));
  return { ...row, links };
}

export function listTrackingLinks(db: Executor, affiliateId: string) {
  return db
    .select({ link: trackingLinks, campaignName: campaigns.name, offerName: offers.name })
    .from(trackingLinks)
    .innerJoin(campaigns, eq(campaigns.id, trackingLinks.campaignId))
    .innerJoin(offers, eq(offers.id, trackingLinks.offerId))
    .where(eq(trackingLinks.affiliateId, affiliateId))
    .orderBy(asc(campaigns.name));
}
