import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { conversionEvents, deliveries, users } from "@/db/schema";
import { changeStatusManually } from "@/lib/conversions/conversions";
import { previewStatusChange } from "@/lib/conversions/status-preview";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest } from "../helpers/world";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe(`manual status changes on ${testDriver}`, () => {
  it("moves the conversion by the same rules, records who did it, and queues the relays", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ statuses: ["rejected"] });
    const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: await world.click(), status: "sale" }), world.endpointId);
    const { conversion_id: id } = await response.json();

    const actor = { orgId: world.networkId, userId: `usr_${world.networkId}` };
    await handle.db.insert(users).values({ id: actor.userId, orgId: world.networkId, email: `${actor.userId}@example.com`, name: "Nora", passwordHash: "x" });
    await expect(handle.db.transaction((tx) => changeStatusManually(tx, { ...actor, orgId: "org_other" }, id, "rejected"))).rejects.toMatchObject({ code: "not_found" });
    await expect(handle.db.transaction((tx) => changeStatusManually(tx, actor, id, "lead"))).rejects.toMatchObject({ code: "conflict", field: "status" });

    const outcome = await handle.db.transaction((tx) => changeStatusManually(tx, actor, id, "rejected"));
    expect(outcome.result).toBe("accepted");
    expect(outcome.deliveries).toHaveLength(1);
    const events = await handle.db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, id)).orderBy(conversionEvents.seq);
    expect(events.at(-1)).toMatchObject({ kind: "reversal", source: "manual", fromStatus: "approved", toStatus: "rejected", actorUserId: actor.userId });
    expect(await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, id))).toHaveLength(1);
  });

  it("says before the change which postbacks it would send: the ones the change then queues", async () => {
    const world = await createWorld(handle.db);
    const tracker = await world.addPostback({ name: "Keitaro", statuses: ["rejected"] });
    await world.addPostback({ name: "Approvals only", statuses: ["approved"] });
    await world.addPostback({ name: "Paused", statuses: ["rejected"], pausedAt: new Date() });
    const toMerchant = await world.addPostback({ name: "Merchant S2S", ownerOrgId: world.networkId, recipientOrgId: world.merchantId, scope: "merchant", merchantId: world.merchantId, statuses: ["rejected"] });
    const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: await world.click(), status: "sale" }), world.endpointId);
    const { conversion_id: id } = await response.json();

    const preview = await previewStatusChange(handle.db, world.networkId, id, "rejected");
    expect(preview).toMatchObject({ from: "approved", to: "rejected" });
    expect(preview.postbacks.map((p) => [p.name, p.ownerName, p.recipientName])).toEqual([
      ["Keitaro", expect.stringContaining("Affiliate"), expect.stringContaining("Affiliate")],
      ["Merchant S2S", expect.stringContaining("Network"), expect.stringContaining("Merchant")],
    ]);
    await expect(previewStatusChange(handle.db, "org_other", id, "rejected")).rejects.toMatchObject({ code: "not_found" });
    await expect(previewStatusChange(handle.db, world.networkId, id, "lead")).rejects.toMatchObject({ code: "conflict", field: "status" });
    await expect(previewStatusChange(handle.db, world.networkId, id, "approved")).rejects.toMatchObject({ code: "conflict", field: "status" });

    const actor = { orgId: world.networkId, userId: `usr_${world.networkId}` };
    await handle.db.insert(users).values({ id: actor.userId, orgId: world.networkId, email: `${actor.userId}@example.com`, name: "Nora", passwordHash: "x" });
    const outcome = await handle.db.transaction((tx) => changeStatusManually(tx, actor, id, "rejected"));
    const sent = await handle.db.select({ postbackId: deliveries.postbackId }).from(deliveries).where(eq(deliveries.conversionEventId, (await handle.db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, id)).orderBy(conversionEvents.seq)).at(-1)!.id));
    expect(outcome.deliveries).toHaveLength(2);
    expect(sent.map((d) => d.postbackId).sort()).toEqual([tracker, toMerchant].sort());
  });
});
