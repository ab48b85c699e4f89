import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { localizable } from "@/lib/platform/error-messages";
import type { Executor } from "@/db/client";
import { memberships, type Offer, offers, organizations } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";
import { cursorColumn, newestFirst, olderThan, type Page, type Paged } from "@/lib/platform/paging";
import { createId } from "@/lib/platform/ids";
import { MACRO_ALIASES } from "./macros";
import { templateProblem } from "./template-problems";
import { approvedMembershipOf } from "@/lib/access/memberships";
import { assertMerchant } from "@/lib/access/organizations";
import { amount, currencyCode, flag, optionalText, wholeNumber } from "@/lib/platform/fields";

const offerStatusField = z.enum(["active", "paused"]);

const offerWithMerchant = {
  offer: offers,
  merchantName: organizations.name,
};

type NetworkOfferRow = { offer: Offer; merchantName: string };
type PartyOfferRow = { offer: Offer; networkName: string };

/** The network's offers: by name, or newest first a page at a time. */
export function listNetworkOffers(db: Executor, networkId: string, page: Page): Promise<Paged<NetworkOfferRow>[]>;
export function listNetworkOffers(db: Executor, networkId: string): Promise<NetworkOfferRow[]>;
export function listNetworkOffers(db: Executor, networkId: string, page?: Page): Promise<Paged<NetworkOfferRow>[] | NetworkOfferRow[]> {
  const query = db
    .select({ ...offerWithMerchant, ...cursorColumn(offers.createdAt, page) })
    .from(offers)
    .innerJoin(organizations, eq(organizations.id, offers.merchantId))
    .where(and(eq(offers.networkId, networkId), olderThan(offers.createdAt, offers.id, page?.after)));
  return page ? query.orderBy(...newestFirst(offers.createdAt, offers.id)).limit(page.limit) : query.orderBy(asc(offers.name));
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

/** Offers an affiliate may promote: those of networks that approved it (one of them with `offerId`). */
export function listAffiliateOffers(db: Executor, affiliateId: string, page: Page): Promise<Paged<PartyOfferRow>[]>;
export function listAffiliateOffers(db: Executor, affiliateId: string, page?: undefined, offerId?: string): Promise<PartyOfferRow[]>;
export function listAffiliateOffers(db: Executor, affiliateId: string, page?: Page, offerId?: string): Promise<Paged<PartyOfferRow>[] | PartyOfferRow[]> {
  const query = db
    .select({ offer: offers, networkName: organizations.name, ...cursorColumn(offers.createdAt, page) })
    .from(offers)
    .innerJoin(memberships, approvedMembershipOf(affiliateId))
    .innerJoin(organizations, eq(organizations.id, offers.networkId))
    .where(and(offerId ? eq(offers.id, offerId) : undefined, olderThan(offers.createdAt, offers.id, page?.after)));
  return page ? query.orderBy(...newestFirst(offers.createdAt, offers.id)).limit(page.limit) : query.orderBy(asc(offers.name));
}

/** The offers networks run for the merchant (one of them with `offerId`). */
export function listMerchantOffers(db: Executor, merchantId: string, page: Page): Promise<Paged<PartyOfferRow>[]>;
export function listMerchantOffers(db: Executor, merchantId: string, page?: undefined, offerId?: string): Promise<PartyOfferRow[]>;
export function listMerchantOffers(db: Executor, merchantId: string, page?: Page, offerId?: string): Promise<Paged<PartyOfferRow>[] | PartyOfferRow[]> {
  const query = db
    .select({ offer: offers, networkName: organizations.name, ...cursorColumn(offers.createdAt, page) })
    .from(offers)
    .innerJoin(organizations, eq(organizations.id, offers.networkId))
    .where(and(eq(offers.merchantId, merchantId), offerId ? eq(offers.id, offerId) : undefined, olderThan(offers.createdAt, offers.id, page?.after)));
  return page ? query.orderBy(...newestFirst(offers.createdAt, offers.id)).limit(page.limit) : query.orderBy(asc(offers.name));
}

export const offerInputSchema = z.object({
  name: z.string().trim().min(1, localizable("errors.form.offerName")).max(120),
  merchantId: z.string().min(1, localizable("errors.access.pickMerchant")).max(64),
  description: optionalText(2000),
  landingUrl: z.string().trim().min(1, localizable("errors.form.landingUrl")).max(2000),
  defaultPayout: amount(localizable("errors.form.amount")),
  defaultRevenue: amount(localizable("errors.form.revenueAmount")),
  currency: currencyCode(),
  allowMultipleConversions: flag.default(false),
  clickLifetimeHours: wholeNumber(1, 24 * 365, { min: localizable("errors.form.clickLifetimeMin"), max: localizable("errors.form.clickLifetimeMax") }),
  status: offerStatusField.default("active"),
});
export type OfferInput = z.output<typeof offerInputSchema>;

/** A stored offer as the form's and the API's input: what an edit or a PATCH is laid over. */
export function offerInputOf(offer: Offer): OfferInput {
  const { name, merchantId, description, landingUrl, defaultPayout, defaultRevenue, currency, allowMultipleConversions, clickLifetimeHours, status } = offer;
  return { name, merchantId, description, landingUrl, defaultPayout, defaultRevenue, currency, allowMultipleConversions, clickLifetimeHours, status };
}

export const offerStatusSchema = z.object({ status: offerStatusField });

function checkLandingUrl(url: string) {
  const problem = templateProblem(url, "url");
  if (problem) throw new AppError("invalid_input", problem.key, { field: "landingUrl", values: problem.values });
  // {clickid}, {subid}… carry the affiliate tracker's id: the merchant would post back an id we never issued.
  const trackerId = [...url.matchAll(/\{_?([A-Za-z0-9_]+)/g)].map((m) => m[1]).find((name) => MACRO_ALIASES[name.toLowerCase()] === "aff_click_id");
  if (trackerId) {
    throw new AppError("invalid_input", "errors.tracking.trackerClickId", { field: "landingUrl", values: { macro: `{${trackerId}}` } });
  }
  if (!/^https?:\/\/[^\s/]+/i.test(url)) throw new AppError("invalid_input", "errors.tracking.landingUrlScheme", { field: "landingUrl" });
}

export async function createOffer(db: Executor, networkId: string, input: OfferInput) {
  checkLandingUrl(input.landingUrl);
  await assertMerchant(db, input.merchantId);
  const id = createId("offer");
  await db.insert(offers).values({ id, networkId, ...input });
  return id;
}

export async function updateOffer(db: Executor, networkId: string, id: string, input: OfferInput) {
  checkLandingUrl(input.landingUrl);
  await assertMerchant(db, input.merchantId);
  const [row] = await db.update(offers).set({ ...input, updatedAt: new Date() }).where(and(eq(offers.id, id), eq(offers.networkId, networkId))).returning({ id: offers.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkOffer");
}

export async function setOfferStatus(db: Executor, networkId: string, id: string, status: "active" | "paused") {
  const [row] = await db.update(offers).set({ status, updatedAt: new Date() }).where(and(eq(offers.id, id), eq(offers.networkId, networkId))).returning({ id: offers.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkOffer");
}
