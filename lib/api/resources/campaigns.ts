import { z } from "zod";
import type { Executor } from "@/db/client";
import type { TrackingLink } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";
import { campaignInputSchema, createCampaign, getCampaign, listCampaigns, listTrackingLinks } from "@/lib/tracking/campaigns";
import { operation } from "../operation";
import { pageFrom, pageOf, pageQuery, pageSchema } from "../pagination";
import { id, idParams, timestamp } from "../schemas";

const trackingLinkSchema = z
  .object({
    id: id("The tracking link's id."),
    code: z.string(),
    path: z.string().meta({ description: "The link, after your Postline address: /c/{code}. Add sub1…sub10, source and aff_click_id as query parameters." }),
    name: z.string().nullable(),
    campaignId: z.string(),
    campaignName: z.string().optional(),
    offerId: z.string(),
    offerName: z.string().optional(),
    createdAt: timestamp,
  })
  .meta({ id: "TrackingLink" });

const campaignSchema = z
  .object({
    id: id("The campaign's id."),
    name: z.string(),
    offerId: z.string(),
    offerName: z.string(),
    links: z.array(trackingLinkSchema).optional().meta({ description: "On one campaign: its tracking links." }),
    createdAt: timestamp,
  })
  .meta({ id: "Campaign" });

function linkView(link: TrackingLink, names: { campaignName?: string; offerName?: string } = {}) {
  const { id, code, name, campaignId, offerId, createdAt } = link;
  return { id, code, path: `/c/${code}`, name, campaignId, offerId, createdAt, ...names };
}

async function ownCampaign(db: Executor, affiliateId: string, campaignId: string) {
  const found = await getCampaign(db, affiliateId, campaignId);
  if (!found) throw new AppError("not_found", "errors.notFound.campaign");
  const { campaign, offerName, links } = found;
  return { id: campaign.id, name: campaign.name, offerId: campaign.offerId, offerName, createdAt: campaign.createdAt, links: links.map((l) => linkView(l)) };
}

/** An affiliate's campaigns and their tracking links. */
export const campaignOperations = [
  operation({
    id: "listCampaigns",
    method: "get",
    path: "/campaigns",
    tag: "Campaigns",
    summary: "List your campaigns (affiliates)",
    permission: "campaigns:read",
    query: pageQuery,
    response: pageSchema(campaignSchema),
    handler: async ({ query }, { db, principal }) => {
      const rows = await listCampaigns(db, principal.orgId, pageFrom(query));
      const campaigns = rows.map(({ campaign, offerName, cursorAt }) => ({ id: campaign.id, name: campaign.name, offerId: campaign.offerId, offerName, createdAt: campaign.createdAt, cursorAt }));
      return pageOf(campaigns, query, (c) => c.cursorAt);
    },
  }),
  operation({
    id: "getCampaign",
    method: "get",
    path: "/campaigns/{id}",
    tag: "Campaigns",
    summary: "Get one campaign with its tracking links",
    permission: "campaigns:read",
    params: idParams,
    response: campaignSchema,
    handler: ({ params }, { db, principal }) => ownCampaign(db, principal.orgId, params.id),
  }),
  operation({
    id: "createCampaign",
    method: "post",
    path: "/campaigns",
    tag: "Campaigns",
    summary: "Create a campaign with its first tracking link",
    description: "For an offer of a network that approved you.",
    permission: "campaigns:write",
    body: campaignInputSchema,
    response: campaignSchema,
    status: 201,
    handler: async ({ body }, { db, principal }) => ownCampaign(db, principal.orgId, await createCampaign(db, principal.orgId, body)),
  }),
  operation({
    id: "listTrackingLinks",
    method: "get",
    path: "/tracking-links",
    tag: "Campaigns",
    summary: "List your tracking links (affiliates)",
    permission: "campaigns:read",
    query: pageQuery,
    response: pageSchema(trackingLinkSchema),
    handler: async ({ query }, { db, principal }) => {
      const rows = await listTrackingLinks(db, principal.orgId, pageFrom(query));
      return pageOf(rows.map(({ link, campaignName, offerName, cursorAt }) => ({ ...linkView(link, { campaignName, offerName }), cursorAt })), query, (l) => l.cursorAt);
    },
  }),
];
