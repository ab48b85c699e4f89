import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { conversionEvents, deliveries, users } from "@/db/schema";
import { changeStatusManually } from "@/lib/conversions/conversions";
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
});
