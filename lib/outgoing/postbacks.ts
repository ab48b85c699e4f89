import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { campaigns, memberships, offers, organizations, outgoingPostbacks } from "@/db/schema";
import { approvedMembershipOf } from "@/lib/access/memberships";
import type { Viewer } from "@/lib/access/users";
import { newestFirst, olderThan, type Page, timeText } from "@/lib/platform/paging";

/** Postbacks without their signing secret: what pages may show. */
const visibleColumns = {
  id: outgoingPostbacks.id,
  name: outgoingPostbacks.name,
  scope: outgoingPostbacks.scope,
  offerId: outgoingPostbacks.offerId,
  campaignId: outgoingPostbacks.campaignId,
  merchantId: outgoingPostbacks.merchantId,
  statuses: outgoingPostbacks.statuses,
  goals: outgoingPostbacks.goals,
  method: outgoingPostbacks.method,
  bodyFormat: outgoingPostbacks.bodyFormat,
  urlTemplate: outgoingPostbacks.urlTemplate,
  bodyTemplate: outgoingPostbacks.bodyTemplate,
  headers: outgoingPostbacks.headers,
  enabled: outgoingPostbacks.enabled,
  pausedAt: outgoingPostbacks.pausedAt,
  pausedReason: outgoingPostbacks.pausedReason,
  consecutiveFailures: outgoingPostbacks.consecutiveFailures,
  createdAt: outgoingPostbacks.createdAt,
};

/** By name for the page; newest first, a page at a time, for the API. */
export function listOwnPostbacks(db: Executor, ownerOrgId: string, page?: Page) {
  const query = db
    .select({ ...visibleColumns, cursorAt: timeText(outgoingPostbacks.createdAt) })
    .from(outgoingPostbacks)
    .where(and(eq(outgoingPostbacks.ownerOrgId, ownerOrgId), olderThan(outgoingPostbacks.createdAt, outgoingPostbacks.id, page?.after)));
  return page ? query.orderBy(...newestFirst(outgoingPostbacks.createdAt, outgoingPostbacks.id)).limit(page.limit) : query.orderBy(asc(outgoingPostbacks.name));
}

/** One postback of the owner's, with whether a signing secret is set (never the secret); null for another's id. */
export async function getOwnPostback(db: Executor, ownerOrgId: string, id: string) {
  const [row] = await db
    .select({ ...visibleColumns, signingSecret: outgoingPostbacks.signingSecret })
    .from(outgoingPostbacks)
    .where(and(eq(outgoingPostbacks.id, id), eq(outgoingPostbacks.ownerOrgId, ownerOrgId)));
  if (!row) return null;
  const { signingSecret, ...rest } = row;
  return { ...rest, hasSigningSecret: Boolean(signingSecret) };
}

/**
 * A scope a party may choose, with the code of its label: the form says it in the reader's words
 * (a network's "offer" sends to the offer's merchant, an affiliate's to its own tracker).
 */
export type PostbackScopeOption = {
  value: "all" | "offer" | "campaign" | "merchant";
  label: "all" | "offer" | "campaign" | "offerToMerchant" | "merchantOffers";
};

/** What a postback form may point at: the scopes, offers, campaigns and merchants of this party. */
export async function postbackChoices(db: Executor, user: Viewer) {
  if (user.orgKind === "affiliate") {
    const [offerRows, campaignRows] = await Promise.all([
      db
        .select({ id: offers.id, name: offers.name })
        .from(offers)
        .innerJoin(memberships, approvedMembershipOf(user.orgId))
        .orderBy(asc(offers.name)),
      db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(eq(campaigns.affiliateId, user.orgId)).orderBy(asc(campaigns.name)),
    ]);
    return {
      scopes: [
        { value: "all", label: "all" },
        { value: "offer", label: "offer" },
        { value: "campaign", label: "campaign" },
      ] as const satisfies PostbackScopeOption[],
      offers: offerRows,
      campaigns: campaignRows,
      merchants: [],
    };
  }
  const offerRows = await db.select({ id: offers.id, name: offers.name, merchantId: offers.merchantId, merchantName: organizations.name }).from(offers).innerJoin(organizations, eq(organizations.id, offers.merchantId)).where(eq(offers.networkId, user.orgId)).orderBy(asc(offers.name));
  const merchants = [...new Map(offerRows.map((o) => [o.merchantId, { id: o.merchantId, name: o.merchantName }])).values()];
  return {
    scopes: [
      { value: "offer", label: "offerToMerchant" },
      { value: "merchant", label: "merchantOffers" },
    ] as const satisfies PostbackScopeOption[],
    offers: offerRows.map(({ id, name, merchantName }) => ({ id, name: `${name} — ${merchantName}` })),
    campaigns: [],
    merchants,
  };
}
