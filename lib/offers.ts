import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, offers, organizations } from "@/db/schema";

const offerWithMerchant = {
  offer: offers,
  merchantName: organizations.name,
};

export function listNetworkOffers(db: Executor, networkId: string) {
  return db
    .select(offerWithMerchant)
    .from(offers)
    .innerJoin(organizations, eq(organizations.id, offers.merchantId))
    .where(eq(offers.networkId, networkId))
    .orderBy(asc(offers.name));
}

/** One offer of the network's; null for an id that is unknown or another network's (the page answers 404). */
export async function getNetworkOffer(db: Executor, networkId: string, offerId: string) {
  const [row] = await db
    .select(offerWithMerchant)
    .from(offers)
    .innerJoin(organizations, eq(organizations.id, offers.merchantId))
    .where(and(eq(offers.id, offerId), eq(offers.networkId, networkId)))
    .limit(1);
  return row ?? null;
}

/** Offers an affiliate may promote: those of networks that approved it. */
export function listAffiliateOffers(db: Executor, affiliateId: string) {
  return db
    .select({ offer: offers, networkName: organizations.name })
    .from(offers)
    .innerJoin(
      memberships,
      and(eq(memberships.networkId, offers.networkId), eq(memberships.affiliateId, affiliateId), eq(memberships.status, "approved")),
    )
    .innerJoin(organizations, eq(organizations.id, offers.networkId))
    .orderBy(asc(offers.name));
}

export function listMerchantOffers(db: Executor, merchantId: string) {
  return db
    .select({ offer: offers, networkName: organizations.name })
    .from(offers)
    .innerJoin(organizations, eq(organizations.id, offers.networkId))
    .where(eq(offers.merchantId, merchantId))
    .orderBy(asc(offers.name));
}
