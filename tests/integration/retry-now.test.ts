import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { deliveries } from "@/db/schema";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { retryDeliveryNow } from "@/lib/outgoing/deliveries";
import { dispatchSettingsFromEnv } from "@/lib/outgoing/delivery-attempts";
import { dispatchCommitted, installDispatcher, wakeDeliveries } from "@/lib/outgoing/dispatcher";
import { startEmbeddedDispatcher } from "@/lib/outgoing/embedded-dispatcher";
import { resetEnvForTests } from "@/lib/platform/env";
import { getDeliveryDetail, listOutgoing } from "@/lib/reports/logs";
import { testDriver, useFreshProcessDatabase } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { createWorld, postbackRequest, sessionUserFor } from "../helpers/world";

// The second attempt is ten minutes after the first: only Retry now brings it within the test.
Object.assign(process.env, { DELIVERY_RETRY_SCHEDULE: "0,10m", DELIVERY_TIMEOUT_MS: "2000", POSTBACK_ALLOWED_ADDRESSES: "127.0.0.1" });
resetEnvForTests();

let handle: DatabaseHandle;
let tracker: Tracker;
let dispatcher: ReturnType<typeof startEmbeddedDispatcher>;

beforeAll(async () => {
  handle = await useFreshProcessDatabase();
  tracker = await startTracker([500, 200]);
  dispatcher = startEmbeddedDispatcher({ db: handle.db, settings: dispatchSettingsFromEnv(), sweep: { graceMs: 60_000, batch: 100, maxBatches: 1, intervalMs: 60_000 } });
  installDispatcher(dispatcher);
});
afterAll(async () => {
  dispatcher.stop();
  await tracker.close();
  await handle.close();
});

async function readDelivery(id: string) {
  const [row] = await handle.db.select().from(deliveries).where(eq(deliveries.id, id));
  return row;
}

describe(`Retry now (${testDriver})`, () => {
  it("shows when a delivery waiting for its retry goes next, and sends it at once for its owner only", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ urlTemplate: `${tracker.url}/later?cid={click_id}` });
    const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: await world.click() }), world.endpointId, {
      afterCommit: (committed) => void dispatchCommitted(committed),
    });
    const { conversion_id: conversionId } = await response.json();
    const [{ id }] = await handle.db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.conversionId, conversionId));
    await dispatcher.idle();
    expect(await readDelivery(id)).toMatchObject({ state: "pending", attempts: 1, lastStatusCode: 500 });

    // The log says when the next attempt is due: about ten minutes from now.
    const affiliate = sessionUserFor(world.affiliateId, "affiliate");
    const [row] = await listOutgoing(handle.db, affiliate, {}, { limit: 50 });
    expect(row.state).toBe("pending");
    expect(Date.parse(row.nextAttemptAt!) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect((await getDeliveryDetail(handle.db, affiliate, id))!.delivery.nextAttemptAt).toBe(row.nextAttemptAt);

    // Another organization's id, even its network's, is not found, and nothing moves.
    await expect(retryDeliveryNow(handle.db, world.networkId, id)).rejects.toMatchObject({ code: "not_found" });
    expect((await readDelivery(id)).nextAttemptAt.getTime()).toBe(Date.parse(row.nextAttemptAt!));

    const queued = await retryDeliveryNow(handle.db, world.affiliateId, id);
    await wakeDeliveries([queued], `retry-now-${queued.attempts}`);
    await dispatcher.idle();
    expect(await readDelivery(id)).toMatchObject({ state: "delivered", attempts: 2, lastStatusCode: 200 });
    expect(tracker.received).toHaveLength(2);
    expect((await listOutgoing(handle.db, affiliate, {}, { limit: 50 }))[0].nextAttemptAt).toBeNull();

    // Delivered is final: nothing to retry.
    await expect(retryDeliveryNow(handle.db, world.affiliateId, id)).rejects.toMatchObject({ code: "conflict" });
  });
});
