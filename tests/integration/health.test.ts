import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { dispatchHealth } from "@/lib/reports/health";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld } from "../helpers/world";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe(`dispatch health for the admin (${testDriver})`, () => {
  it("counts the window's real attempts, and names the slowest and the failing destinations with their last error", async () => {
    const world = await createWorld(handle.db);
    await world.addPostback({ id: "pb_health" });
    const delivery = (id: string, host: string, state: string) =>
      sql`insert into deliveries (id, postback_id, conversion_event_id, conversion_id, owner_org_id, recipient_org_id, network_id, destination_host, state)
        values (${id}, 'pb_health', ${`evt_${id}`}, ${`conv_${id}`}, ${world.affiliateId}, ${world.affiliateId}, ${world.networkId}, ${host}, ${state}::delivery_state)`;
    await handle.db.execute(delivery("dlv_fast", "fast.example", "delivered"));
    await handle.db.execute(delivery("dlv_slow", "slow.example", "pending"));
    const attempt = (deliveryId: string | null, trigger: string, ok: boolean, ms: number, error: string | null, hoursAgo = 0) =>
      sql`insert into delivery_attempts (id, delivery_id, postback_id, owner_org_id, recipient_org_id, attempt_number, trigger, method, url, duration_ms, ok, error_message, created_at)
        values (${`att_${Math.random().toString(36).slice(2)}`}, ${deliveryId}, 'pb_health', ${world.affiliateId}, ${world.affiliateId}, 1, ${trigger}::attempt_trigger, 'GET', 'https://x.example/pb',
          ${ms}, ${ok}, ${error}, now() - ${`${hoursAgo} hours`}::interval)`;
    for (const [id, trigger, ok, ms, error, hoursAgo] of [
      ["dlv_fast", "initial", true, 100, null, 0],
      ["dlv_fast", "retry", true, 300, null, 1],
      ["dlv_slow", "initial", false, 2000, "HTTP 503", 3],
      ["dlv_slow", "retry", false, 5000, "timed out after 5000 ms", 2],
      ["dlv_slow", "replay", true, 800, null, 0],
      [null, "replay", true, 40, null, 0], // its delivery is gone: counted, under no destination
      ["dlv_slow", "test", false, 10, "a test send", 0], // the Test button's: not traffic
      ["dlv_fast", "initial", false, 9000, "too old", 30], // outside the 24 hours
    ] as const) {
      await handle.db.execute(attempt(id, trigger, ok, ms, error, hoursAgo));
    }

    const health = await dispatchHealth(handle.db);
    expect(health.pending).toBe(1);
    expect(health.attempts).toBe(6);
    expect(health.successRate).toBeCloseTo(4 / 6);
    expect(health.slowest).toEqual([
      { host: "slow.example", attempts: 3, avgMs: 2600 },
      { host: "fast.example", attempts: 2, avgMs: 200 },
    ]);
    expect(health.failing).toEqual([{ host: "slow.example", failures: 2, lastError: "timed out after 5000 ms" }]);
  });
});
