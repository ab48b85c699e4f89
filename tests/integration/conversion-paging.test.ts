import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { deliveries } from "@/db/schema";
import { listConversions } from "@/lib/conversions/conversion-queries";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest, sessionUserFor, type World } from "../helpers/world";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

/**
 * `count` conversions of the world's network written straight into the table, one microsecond
 * apart from `start` (so many share a millisecond), every third one rejected.
 */
async function writeConversions(world: World, tag: string, count: number, start: string) {
  await handle.db.execute(sql`
    insert into conversions (id, click_id, offer_id, network_id, merchant_id, affiliate_id, transaction_id, conversion_key, status, created_at)
    select 'conv_' || ${tag} || '_' || g, 'clk_' || ${tag} || '_' || g, ${world.offerId}, ${world.networkId}, ${world.merchantId}, ${world.affiliateId},
      'tx-' || ${tag} || '-' || g, 'click:clk_' || ${tag} || '_' || g, (case when g % 3 = 0 then 'rejected' else 'approved' end)::conversion_status,
      ${start}::timestamptz + g * interval '1 microsecond'
    from generate_series(1, ${count}::int) g`);
}

describe(`conversions by page on ${testDriver}`, () => {
  it("pages newest first by an opaque cursor: no row skipped or repeated while others are written, filters kept", async () => {
    const world = await createWorld(handle.db);
    const network = sessionUserFor(world.networkId, "network");
    await writeConversions(world, "a", 45, "2026-03-01T10:00:00.000100Z");
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listConversions(handle.db, network, { limit: 10, after });
      seen.push(...page.rows.map((r) => r.id));
      after = page.older ?? undefined;
      // Written while the person pages: newer ones, and one stamped inside the pages already read.
      if (pages === 1) {
        await writeConversions(world, `new${pages}`, 5, "2026-03-02T00:00:00Z");
        await writeConversions(world, `late${pages}`, 1, "2026-03-01T10:00:00.000140Z");
      }
      pages += 1;
    } while (after);
    const original = Array.from({ length: 45 }, (_, i) => `conv_a_${i + 1}`);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id.startsWith("conv_a_"))).toEqual([...original].reverse());
    expect(seen.some((id) => id.startsWith("conv_new"))).toBe(false);

    const rejected: string[] = [];
    after = undefined;
    do {
      const page = await listConversions(handle.db, network, { limit: 4, after, status: "rejected" });
      expect(page.rows.every((r) => r.status === "rejected")).toBe(true);
      rejected.push(...page.rows.map((r) => r.id));
      after = page.older ?? undefined;
    } while (after);
    expect(rejected.filter((id) => id.startsWith("conv_a_"))).toEqual(original.filter((_, i) => (i + 1) % 3 === 0).reverse());
  });

  it("refuses a cursor it did not make, on the field after", async () => {
    const network = sessionUserFor((await createWorld(handle.db)).networkId, "network");
    for (const after of ["nonsense", Buffer.from(JSON.stringify(["1 Dec 2026", "conv_x"])).toString("base64url")]) {
      await expect(listConversions(handle.db, network, { limit: 10, after })).rejects.toMatchObject({ code: "invalid_input", field: "after" });
    }
  });

  it("finds conversions by an id exactly: click, transaction, delivery or conversion id, never by a part of one or in another's rows", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback();
    const network = sessionUserFor(world.networkId, "network");
    const clickId = await world.click();
    const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: clickId, txid: "ORDER-77", status: "paid" }), world.endpointId);
    const { conversion_id: conversionId } = (await response.json()) as { conversion_id: string };
    await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: await world.click(), txid: "ORDER-778", status: "paid" }), world.endpointId);
    const [delivery] = await handle.db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.conversionId, conversionId));

    for (const q of [clickId, "ORDER-77", delivery.id, conversionId]) {
      expect((await listConversions(handle.db, network, { limit: 10, q })).rows.map((r) => r.id)).toEqual([conversionId]);
    }
    for (const q of ["ORDER-7", clickId.slice(0, -2), "order-77"]) expect((await listConversions(handle.db, network, { limit: 10, q })).rows).toEqual([]);
    expect((await listConversions(handle.db, network, { limit: 10, q: "ORDER-77", status: "rejected" })).rows).toEqual([]);
    const stranger = sessionUserFor((await createWorld(handle.db)).networkId, "network");
    expect((await listConversions(handle.db, stranger, { limit: 10, q: conversionId })).rows).toEqual([]);
  });
});
