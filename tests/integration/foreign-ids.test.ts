import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createCampaign, getCampaign } from "@/lib/tracking/campaigns";
import { changeStatusManually } from "@/lib/conversions/conversions";
import { replayDelivery } from "@/lib/outgoing/delivery-attempts";
import { endpointInputSchema, getNetworkEndpoint, rotateEndpointSecret, updateEndpoint } from "@/lib/incoming/endpoints";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { getDeliveryDetail, getIncomingDetail, listIncoming, listOutgoing } from "@/lib/reports/logs";
import { decideMembership } from "@/lib/access/memberships";
import { getNetworkOffer, setOfferStatus, updateOffer } from "@/lib/tracking/offers";
import { deletePostback, postbackInputSchema, setPostbackEnabled, testPostback, updatePostback } from "@/lib/outgoing/postback-config";
import { getOwnPostback } from "@/lib/outgoing/postbacks";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest, type World, sessionUserFor } from "../helpers/world";

let handle: DatabaseHandle;
let mine: World;
let theirs: World;
let ids: { postback: string; delivery: string; conversion: string; membership: string; incomingLog: string };

beforeAll(async () => {
  handle = await createTestDatabase();
  mine = await createWorld(handle.db);
  theirs = await createWorld(handle.db);
  const postback = await theirs.addPostback({});
  const response = await handleIncomingPostback(handle.db, postbackRequest(theirs.endpointId, { token: theirs.secret, click_id: await theirs.click() }), theirs.endpointId);
  const body = await response.json();
  const [delivery] = await handle.db.query.deliveries.findMany({ where: (d, { eq }) => eq(d.conversionId, body.conversion_id) });
  const [membership] = await handle.db.query.memberships.findMany({ where: (m, { eq }) => eq(m.networkId, theirs.networkId) });
  const [log] = await handle.db.query.incomingPostbackLog.findMany({ where: (l, { eq }) => eq(l.endpointId, theirs.endpointId) });
  ids = { postback, delivery: delivery.id, conversion: body.conversion_id, membership: membership.id, incomingLog: log.id };
});
afterAll(() => handle.close());

describe(`another organization's ids answer "not found" on ${testDriver}`, () => {
  it("for reads", async () => {
    const network = sessionUserFor(mine.networkId, "network");
    const affiliate = sessionUserFor(mine.affiliateId, "affiliate");
    expect(await getNetworkOffer(handle.db, mine.networkId, theirs.offerId)).toBeNull();
    expect(await getCampaign(handle.db, mine.affiliateId, theirs.campaignId)).toBeNull();
    expect(await getOwnPostback(handle.db, mine.affiliateId, ids.postback)).toBeNull();
    expect(await getNetworkEndpoint(handle.db, mine.networkId, theirs.endpointId)).toBeNull();
    expect(await getDeliveryDetail(handle.db, affiliate, ids.delivery)).toBeNull();
    expect(await getIncomingDetail(handle.db, network, ids.incomingLog)).toBeNull();
    expect(await listOutgoing(handle.db, affiliate, {}, { limit: 50 })).toEqual([]);
    expect(await listIncoming(handle.db, network, {}, { limit: 50 })).toEqual([]);
    // The owners themselves do see them.
    expect(await getDeliveryDetail(handle.db, sessionUserFor(theirs.affiliateId, "affiliate"), ids.delivery)).not.toBeNull();
    expect(await getIncomingDetail(handle.db, sessionUserFor(theirs.networkId, "network"), ids.incomingLog)).not.toBeNull();
  });

  it("for writes", async () => {
    const affiliate = sessionUserFor(mine.affiliateId, "affiliate");
    const guard = { schedule: [0], timeoutMs: 500, maxResponseBytes: 100, allowedAddresses: [], pauseAfterFailures: 10 };
    const postbackInput = postbackInputSchema.parse({ name: "x", scope: "all", statuses: ["approved"], urlTemplate: "https://t.example.com/pb" });
    const offerInput = { name: "x", merchantId: theirs.merchantId, description: null, landingUrl: "https://x.example.com/", defaultPayout: "1", defaultRevenue: "1", currency: "USD", allowMultipleConversions: false, clickLifetimeHours: 1, status: "active" as const };
    const endpointInput = endpointInputSchema.parse({ name: "x", merchantId: theirs.merchantId, rateLimitPerMinute: 1 });
    const attempts: [string, () => Promise<unknown>][] = [
      ["update postback", () => updatePostback(handle.db, affiliate, ids.postback, postbackInput, guard)],
      ["pause postback", () => setPostbackEnabled(handle.db, affiliate, ids.postback, false)],
      ["delete postback", () => deletePostback(handle.db, affiliate, ids.postback)],
      ["test postback", () => testPostback(handle.db, affiliate, { id: ids.postback }, guard)],
      ["replay delivery", () => replayDelivery(handle.db, mine.affiliateId, ids.delivery)],
      ["change status", () => handle.db.transaction((tx) => changeStatusManually(tx, { orgId: mine.networkId, userId: "usr_x" }, ids.conversion, "rejected"))],
      ["decide membership", () => decideMembership(handle.db, mine.networkId, ids.membership, "rejected")],
      ["update offer", () => updateOffer(handle.db, mine.networkId, theirs.offerId, offerInput)],
      ["pause offer", () => setOfferStatus(handle.db, mine.networkId, theirs.offerId, "paused")],
      ["update endpoint", () => updateEndpoint(handle.db, mine.networkId, theirs.endpointId, endpointInput)],
      ["rotate endpoint secret", () => rotateEndpointSecret(handle.db, mine.networkId, theirs.endpointId)],
    ];
    for (const [label, attempt] of attempts) await expect(attempt(), label).rejects.toMatchObject({ code: "not_found" });
    await expect(createCampaign(handle.db, mine.affiliateId, { name: "x", offerId: theirs.offerId })).rejects.toMatchObject({ field: "offerId" });
    // Nothing of theirs moved.
    expect((await getOwnPostback(handle.db, theirs.affiliateId, ids.postback))?.enabled).toBe(true);
    expect((await getNetworkOffer(handle.db, theirs.networkId, theirs.offerId))?.offer.status).toBe("active");
  });
});
