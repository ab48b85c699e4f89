import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { rateLimitBuckets } from "@/db/schema";
import { consumeRateLimit } from "@/lib/platform/rate-limit";
import { createTestDatabase, testDriver } from "../helpers/test-db";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await new Promise((r) => setTimeout(r, 300)); // let the background flush finish
  await handle.close();
});

const sharedCount = async (key: string) => (await handle.db.select().from(rateLimitBuckets).where(eq(rateLimitBuckets.key, key))).reduce((sum, row) => sum + row.count, 0);

describe(`rate limit on ${testDriver}`, () => {
  it("allows exactly the limit when requests arrive all at once, and records every request in the shared row", async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => consumeRateLimit(handle.db, "test:burst", 40)));
    expect(results.filter((r) => r.allowed)).toHaveLength(40);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sharedCount("test:burst")).toBe(60);
  });

  it("counts what other instances recorded once it gets near the limit", async () => {
    // Another instance has already used 9 of 10 this minute.
    const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await handle.db.insert(rateLimitBuckets).values({ key: "test:shared", windowStart, count: 9 });
    const first = await consumeRateLimit(handle.db, "test:shared", 10);
    const second = await consumeRateLimit(handle.db, "test:shared", 10);
    expect([first.allowed, second.allowed]).toEqual([true, false]);
  });

  it("counts far-from-limit requests in memory and adds them to the shared row in the background", async () => {
    for (let i = 0; i < 20; i++) expect((await consumeRateLimit(handle.db, "test:local", 1000)).allowed).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sharedCount("test:local")).toBe(20);
  });
});
