import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type Campaign, campaigns, memberships, offers, type TrackingLink, trackingLinks } from "@/db/schema";
import { z } from "zod";
import { localizable } from "@/lib/platform/error-messages";
import { AppError } from "@/lib/platform/errors";
import { cursorColumn, newestFirst, olderThan, type Page, type Paged } from "@/lib/platform/paging";
import { createId, randomToken } from "@/lib/platform/ids";
import { approvedMembershipOf } from "@/lib/access/memberships";

export const campaignInputSchema = z.object({
  name: z.string().trim().min(1, localizable("errors.form.campaignName")).max(100),
  offerId: z.string().trim().min(1, localizable("errors.form.pickOffer")).max(64),
});

type CampaignRow = { campaign: Campaign; offerName: string };
type TrackingLinkRow = { link: TrackingLink; campaignName: string; offerName: string };

/** The affiliate's campaigns: by name, or newest first a page at a time. */
export function listCampaigns(db: Executor, affiliateId: string, page: Page): Promise<Paged<CampaignRow>[]>;
export function listCampaigns(db: Executor, affiliateId: string): Promise<CampaignRow[]>;
export function listCampaigns(db: Executor, affiliateId: string, page?: Page): Promise<Paged<CampaignRow>[] | CampaignRow[]> {
  const query = db
    .select({ campaign: campaigns, offerName: offers.name, ...cursorColumn(campaigns.createdAt, page) })
    .from(campaigns)
    .innerJoin(offers, eq(offers.id, campaigns.offerId))
    .where(and(eq(campaigns.affiliateId, affiliateId), olderThan(campaigns.createdAt, campaigns.id, page?.after)));
  return page ? query.orderBy(...newestFirst(campaigns.createdAt, campaigns.id)).limit(page.limit) : query.orderBy(asc(campaigns.name));
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

/** The affiliate's tracking links: by campaign name, or newest first a page at a time. */
export function listTrackingLinks(db: Executor, affiliateId: string, page: Page): Promise<Paged<TrackingLinkRow>[]>;
export function listTrackingLinks(db: Executor, affiliateId: string): Promise<TrackingLinkRow[]>;
export function listTrackingLinks(db: Executor, affiliateId: string, page?: Page): Promise<Paged<TrackingLinkRow>[] | TrackingLinkRow[]> {
  const query = db
    .select({ link: trackingLinks, campaignName: campaigns.name, offerName: offers.name, ...cursorColumn(trackingLinks.createdAt, page) })
    .from(trackingLinks)
    .innerJoin(campaigns, eq(campaigns.id, trackingLinks.campaignId))
    .innerJoin(offers, eq(offers.id, trackingLinks.offerId))
    .where(and(eq(trackingLinks.affiliateId, affiliateId), olderThan(trackingLinks.createdAt, trackingLinks.id, page?.after)));
  return page ? query.orderBy(...newestFirst(trackingLinks.createdAt, trackingLinks.id)).limit(page.limit) : query.orderBy(asc(campaigns.name));
}

/**
 * A campaign for an offer of a network that approved the affiliate, with its first tracking
 * link. The link code is random, so links cannot be guessed from one another.
 */
export async function createCampaign(db: Executor, affiliateId: string, input: z.output<typeof campaignInputSchema>) {
  const [offer] = await db
    .select({ id: offers.id })
    .from(offers)
    .innerJoin(memberships, approvedMembershipOf(affiliateId))
    .where(eq(offers.id, input.offerId));
  if (!offer) throw new AppError("invalid_input", "errors.tracking.pickApprovedOffer", { field: "offerId" });
  const id = createId("campaign");
  await db.transaction(async (tx) => {
    await tx.insert(campaigns).values({ id, affiliateId, offerId: offer.id, name: input.name });
    await tx.insert(trackingLinks).values({ id: createId("trackingLink"), code: randomToken(9), campaignId: id, affiliateId, offerId: offer.id, name: "Main link" });
  });
  return id;
}
