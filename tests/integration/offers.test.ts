import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createOffer } from "@/lib/tracking/offers";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld } from "../helpers/world";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

const offer = (landingUrl: string, merchantId: string) => ({
  name: "Winter",
  merchantId,
  description: null,
  landingUrl,
  defaultPayout: "1",
  defaultRevenue: "2",
  currency: "USD",
  allowMultipleConversions: false,
  clickLifetimeHours: 24,
  status: "active" as const,
});

describe(`offers' landing URLs (${testDriver})`, () => {
  it("refuses a tracker's click-id macro and a stray brace, with the field, and takes {click_id}", async () => {
    const world = await createWorld(handle.db);
    for (const [url, message] of [
      ["https://shop.example.com/?cid={clickid}", "{clickid} is the affiliate tracker's click id"],
      ["https://shop.example.com/?cid={SubId}", "{SubId} is the affiliate tracker's click id"],
      ["https://shop.example.com/?cid={click_id&s=1", "An unclosed { at character"],
    ] as const) {
      await expect(createOffer(handle.db, world.networkId, offer(url, world.merchantId))).rejects.toMatchObject({ code: "invalid_input", field: "landingUrl", message: expect.stringContaining(message) });
    }
    await expect(createOffer(handle.db, world.networkId, offer("https://shop.example.com/?cid={click_id}&ext={aff_click_id}", world.merchantId))).resolves.toMatch(/^off_/);
  });
});
