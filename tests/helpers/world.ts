import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  campaigns,
  clicks,
  incomingEndpoints,
  memberships,
  offers,
  organizations,
  outgoingPostbacks,
  trackingLinks,
} from "@/db/schema";
import { createId } from "@/lib/platform/ids";
import { generateSecret, hashSecret, secretHint } from "@/lib/access/secrets";
import type { SessionUser } from "@/lib/access/users";

const tag = () => randomBytes(4).toString("hex");

export type World = Awaited<ReturnType<typeof createWorld>>;

/**
 * A network, its merchant, an approved affiliate, an offer, a campaign with a link and an incoming
 * endpoint, all with fresh random ids so tests in one database never see each other's rows.
 */
export async function createWorld(
  db: Database,
  options: {
    offer?: Partial<typeof offers.$inferInsert>;
    endpoint?: Partial<typeof incomingEndpoints.$inferInsert>;
    membership?: "approved" | "pending" | "rejected";
  } = {},
) {
  const t = tag();
  const networkId = `org_net_${t}`;
  const merchantId = `org_mer_${t}`;
  const affiliateId = `org_aff_${t}`;
  await db.insert(organizations).values([
    { id: networkId, name: `Network ${t}`, kind: "network" },
    { id: merchantId, name: `Merchant ${t}`, kind: "merchant" },
    { id: affiliateId, name: `Affiliate ${t}`, kind: "affiliate" },
  ]);
  await db.insert(memberships).values({ id: createId("membership"), networkId, affiliateId, status: options.membership ?? "approved" });
  const offerId = createId("offer");
  await db.insert(offers).values({
    id: offerId,
    networkId,
    merchantId,
    name: `Offer ${t}`,
    landingUrl: "https://shop.example.com/land?cid={click_id}&s1={sub1}&src={source}&ext={aff_click_id}",
    defaultPayout: "10.0000",
    defaultRevenue: "15.0000",
    currency: "EUR",
    ...options.offer,
  });
  const campaignId = createId("campaign");
  await db.insert(campaigns).values({ id: campaignId, affiliateId, offerId, name: `Campaign ${t}` });
  const code = `code-${t}`;
  await db.insert(trackingLinks).values({ id: createId("trackingLink"), code, campaignId, affiliateId, offerId });
  const secret = generateSecret("whsec");
  const endpointId = createId("endpoint");
  await db.insert(incomingEndpoints).values({
    id: endpointId,
    networkId,
    merchantId,
    name: `Endpoint ${t}`,
    secretHash: hashSecret(secret),
    secretHint: secretHint(secret),
    rateLimitPerMinute: 100_000,
    statusMap: { paid: "approved", nope: "rejected", wait: "hold", reg: "lead", ping: "ignore" },
    ...options.endpoint,
  });
  const [linkRow] = await db.select().from(trackingLinks).where(eq(trackingLinks.code, code));

  return {
    networkId,
    merchantId,
    affiliateId,
    offerId,
    campaignId,
    code,
    linkId: linkRow.id,
    endpointId,
    secret,
    /** A click made directly in the database, `ageHours` ago. */
    async click(ageHours = 0): Promise<string> {
      const createdAt = new Date(Date.now() - ageHours * 3_600_000);
      const id = createId("click");
      await db.insert(clicks).values({
        id,
        trackingLinkId: linkRow.id,
        campaignId,
        offerId,
        affiliateId,
        networkId,
        createdAt,
      });
      return id;
    },
    async addPostback(values: Partial<typeof outgoingPostbacks.$inferInsert> = {}) {
      const id = createId("postback");
      await db.insert(outgoingPostbacks).values({
        id,
        ownerOrgId: affiliateId,
        recipientOrgId: affiliateId,
        name: `Tracker ${id}`,
        scope: "all",
        statuses: ["lead", "approved", "rejected", "hold"],
        urlTemplate: "https://tracker.example.com/pb?cid={aff_click_id}&status={status}",
        ...values,
      });
      return id;
    },
  };
}


/** A postback request to the endpoint, as a merchant's server would send it. */
export function postbackRequest(
  endpointId: string,
  params: Record<string, string>,
  init: { method?: "GET" | "POST"; as?: "query" | "form" | "json"; headers?: Record<string, string>; ip?: string } = {},
): Request {
  const method = init.method ?? (init.as && init.as !== "query" ? "POST" : "GET");
  const url = new URL(`http://postline.test/api/postback/${endpointId}`);
  const headers: Record<string, string> = { "x-forwarded-for": init.ip ?? "203.0.113.7", ...init.headers };
  let body: string | undefined;
  if (init.as === "json") {
    body = JSON.stringify(params);
    headers["content-type"] = "application/json";
  } else if (init.as === "form") {
    body = new URLSearchParams(params).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  }
  return new Request(url, { method, headers, body });
}

/** A signed-in person of an organization, as the core functions receive one. */
export function sessionUserFor(orgId: string, orgKind: SessionUser["orgKind"]): SessionUser {
  return { userId: `usr_${orgId}`, orgId, orgKind, orgName: orgId, role: "owner", name: "Test Person", email: "person@example.com", sessionVersion: 0, locale: null, timeZone: null, orgTimeZone: "UTC" };
}
