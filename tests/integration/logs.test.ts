import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { incomingPostbackLog } from "@/db/schema";
import { createId } from "@/lib/platform/ids";
import { incomingSince, listIncoming, parseLogFilters, toCsv } from "@/lib/reports/logs";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, sessionUserFor } from "../helpers/world";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe(`log queries on ${testDriver}`, () => {
  it("lets a stream read on past a full page of rows written in the same instant", async () => {
    const world = await createWorld(handle.db);
    const viewer = sessionUserFor(world.networkId, "network");
    const at = new Date();
    await handle.db.insert(incomingPostbackLog).values(
      Array.from({ length: 250 }, (_, i) => ({ id: createId("incomingLog"), endpointId: world.endpointId, networkId: world.networkId, merchantId: world.merchantId, method: "GET", result: "accepted" as const, httpStatus: 200, clickId: `clk_${i}`, createdAt: at })),
    );
    const first = await incomingSince(handle.db, viewer, {}, { since: at, overlapMs: 3000 }, 200);
    expect(first).toHaveLength(200);
    const last = first.at(-1)!;
    const rest = await incomingSince(handle.db, viewer, {}, { after: { at: new Date(last.at), seq: last.seq } }, 200);
    expect(rest).toHaveLength(50);
    expect(new Set([...first, ...rest].map((r) => r.id)).size).toBe(250);
  });

  it("ignores a filter value that does not belong to the tab, and neutralises formulas in CSV", async () => {
    const world = await createWorld(handle.db);
    const viewer = sessionUserFor(world.networkId, "network");
    await handle.db.insert(incomingPostbackLog).values({ id: createId("incomingLog"), networkId: world.networkId, method: "GET", result: "rejected", httpStatus: 401, clickId: "=HYPERLINK(\"x\")" });
    const rows = await listIncoming(handle.db, viewer, parseLogFilters({ result: "delivered", codeClass: "9xx" }), { limit: 50 });
    expect(rows).toHaveLength(1);
    expect(toCsv("incoming", rows).split("\r\n")[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
