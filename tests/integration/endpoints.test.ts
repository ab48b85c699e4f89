import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listNetworkMerchants } from "@/lib/incoming/endpoints";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld } from "../helpers/world";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe(`a network's merchants on ${testDriver}`, () => {
  it("counts each merchant's offers and endpoints in this network", async () => {
    const world = await createWorld(handle.db);
    // Another network's offer and endpoint for other merchants count for none of this network's.
    await createWorld(handle.db);
    expect(await listNetworkMerchants(handle.db, world.networkId)).toEqual([{ id: world.merchantId, name: expect.any(String), offers: 1, endpoints: 1 }]);
  });
});
