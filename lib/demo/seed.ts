import { sql } from "drizzle-orm";
import { hashPassword, hashSecret, secretHint } from "@/lib/access/secrets";
import type { Database } from "@/db/client";
import {
  apiKeys,
  campaigns,
  incomingEndpoints,
  memberships,
  offers,
  organizations,
  outgoingPostbacks,
  trackingLinks,
  users,
} from "@/db/schema";
import { demoReceiverUrl } from "./receiver";

/**
 * Demo data for a first look and for the end-to-end tests. Its ids and secrets are fixed so the
 * README's examples work as written; it never runs in production unless SEED_DEMO is set.
 */
export const DEMO_PASSWORD = "postline-demo";

export const DEMO_ACCOUNTS = [
  { role: "admin", email: "admin@demo.postline.dev", orgId: "org_demo_platform" },
  { role: "network", email: "network@demo.postline.dev", orgId: "org_demo_network" },
  { role: "merchant", email: "merchant@demo.postline.dev", orgId: "org_demo_merchant" },
  { role: "affiliate", email: "affiliate@demo.postline.dev", orgId: "org_demo_affiliate" },
] as const;

export const DEMO = {
  networkId: "org_demo_network",
  merchantId: "org_demo_merchant",
  affiliateId: "org_demo_affiliate",
  platformId: "org_demo_platform",
  offerId: "off_demo_summer",
  campaignId: "cmp_demo_spring",
  trackingLinkCode: "demo-summer",
  endpointId: "end_demo_acme",
  endpointSecret: "demo-endpoint-secret",
  postbackId: "pb_demo_tracker",
  affiliateApiKey: "demo-affiliate-api-key",
} as const;

/** Seeds the demo organizations and their setup. Returns false (and writes nothing) when any organization exists. */
export async function seedDemoData(db: Database): Promise<boolean> {
  const [{ count }] = await db.select({ count: sql<number>`count(*)::int` }).from(organizations);
  if (count > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await db.transaction(async (tx) => {
    await tx.insert(organizations).values([
      { id: DEMO.platformId, name: "Postline Operations", kind: "platform" },
      { id: DEMO.networkId, name: "Northwind Network", kind: "network" },
      { id: DEMO.merchantId, name: "Acme Outdoor Shop", kind: "merchant" },
      { id: DEMO.affiliateId, name: "Bright Media", kind: "affiliate" },
    ]);
    await tx.insert(users).values([
      { id: "usr_demo_admin", orgId: DEMO.platformId, email: DEMO_ACCOUNTS[0].email, name: "Ada Admin", role: "owner", passwordHash },
      { id: "usr_demo_network", orgId: DEMO.networkId, email: DEMO_ACCOUNTS[1].email, name: "Nora Network", role: "owner", passwordHash },
      { id: "usr_demo_merchant", orgId: DEMO.merchantId, email: DEMO_ACCOUNTS[2].email, name: "Max Merchant", role: "owner", passwordHash },
      { id: "usr_demo_affiliate", orgId: DEMO.affiliateId, email: DEMO_ACCOUNTS[3].email, name: "Alex Affiliate", role: "owner", passwordHash },
    ]);
    await tx.insert(offers).values({
      id: DEMO.offerId,
      networkId: DEMO.networkId,
      merchantId: DEMO.merchantId,
      name: "Acme Summer Sale",
      description: "CPA offer: a paid order on the Acme Outdoor shop.",
      landingUrl: "https://shop.example.com/summer?click_id={click_id}&sub1={sub1}&source={source}",
      defaultPayout: "12.5000",
      defaultRevenue: "20.0000",
      currency: "USD",
      clickLifetimeHours: 720,
    });
    await tx.insert(apiKeys).values({
      id: "key_demo",
      orgId: DEMO.affiliateId,
      name: "Demo key",
      prefix: DEMO.affiliateApiKey.slice(0, 8),
      keyHash: hashSecret(DEMO.affiliateApiKey),
    });
    await tx.insert(memberships).values({
      id: "mem_demo",
      networkId: DEMO.networkId,
      affiliateId: DEMO.affiliateId,
      status: "approved",
      decidedAt: new Date(),
    });
    await tx.insert(campaigns).values({
      id: DEMO.campaignId,
      affiliateId: DEMO.affiliateId,
      offerId: DEMO.offerId,
      name: "Spring push",
    });
    await tx.insert(trackingLinks).values({
      id: "lnk_demo",
      code: DEMO.trackingLinkCode,
      campaignId: DEMO.campaignId,
      affiliateId: DEMO.affiliateId,
      offerId: DEMO.offerId,
      name: "Newsletter",
    });
    await tx.insert(incomingEndpoints).values({
      id: DEMO.endpointId,
      networkId: DEMO.networkId,
      merchantId: DEMO.merchantId,
      name: "Acme order server",
      secretHash: hashSecret(DEMO.endpointSecret),
      secretHint: secretHint(DEMO.endpointSecret),
      statusMap: { sale: "approved", confirmed: "approved", "1": "approved", pending: "lead", declined: "rejected", test: "ignore", ping: "ignore" },
    });
    await tx.insert(outgoingPostbacks).values({
      id: DEMO.postbackId,
      ownerOrgId: DEMO.affiliateId,
      recipientOrgId: DEMO.affiliateId,
      name: "Demo receiver",
      scope: "offer",
      offerId: DEMO.offerId,
      statuses: ["lead", "approved", "rejected"],
      method: "GET",
      // The receiver built into Postline (lib/demo/receiver.ts): the first relay lands, and shows under Demo receiver.
      urlTemplate: `${demoReceiverUrl(DEMO.affiliateId)}?subid={aff_click_id}&status={status}&payout={payout}&tid={transaction_id}`,
    });
  });
  return true;
}

export function demoSignInLines(): string[] {
  return [
    "Demo sign-ins (password for all: " + DEMO_PASSWORD + "):",
    ...DEMO_ACCOUNTS.map((a) => `  ${a.role.padEnd(9)} ${a.email}`),
  ];
}
