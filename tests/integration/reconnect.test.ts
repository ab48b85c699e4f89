import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseHandle } from "@/db/client";
import { capCounters } from "@/db/schema";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { addCap } from "@/lib/program/manage";
import { createTestDatabase, rowsOf, serverAddressOf } from "../helpers/test-db";
import { createWorld, postbackRequest } from "../helpers/world";

// A PostgreSQL restart or failover kills every backend, open transactions included. The pool must
// come back by itself (db/patch-postgres.mjs): no connection may stay stuck on a query
// that was waiting to be written when its socket died.
const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)("after every backend is killed during open transactions (PostgreSQL)", () => {
  let owner: DatabaseHandle;
  let handle: DatabaseHandle;
  let url: string;

  beforeAll(async () => {
    owner = await createTestDatabase();
    ({ url } = await serverAddressOf(owner));
    handle = createDatabase({ url, poolMax: 1 });
  });
  afterAll(async () => {
    await handle.close().catch(() => {});
    await owner.close();
  });

  const within = <T>(ms: number, promise: Promise<T>) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))]);

  it("fails the transaction whose backend was killed mid-query, then answers again without a restart", async () => {
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    for (let round = 0; round < 2; round++) {
      const [{ pid }] = rowsOf<{ pid: number }>(await within(5_000, handle.db.execute(sql`select pg_backend_pid() as pid`)));
      // Its outcome is taken at once: the rejection comes while the kill is being sent.
      const open = handle.db
        .transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await tx.execute(sql`select pg_sleep(2)`);
        })
        .then(() => "committed", (error: Error) => error);
      await new Promise((r) => setTimeout(r, 300));
      await admin`select pg_terminate_backend(${pid})`;
      expect(await within(8_000, open)).toBeInstanceOf(Error);
      await new Promise((r) => setTimeout(r, 300));
      // The query right after may still get the dead backend's error (a 503 for a request);
      // none may hang, and the pool must be answering again at once.
      const outcomes: string[] = [];
      for (let i = 0; i < 4; i++) {
        outcomes.push(
          await within(5_000, handle.db.execute(sql`select ${i}::int as n`)).then(
            (result) => (rowsOf<{ n: number }>(result)[0].n === i ? "ok" : "wrong"),
            (error: Error) => (error.message.startsWith("no answer") ? "hang" : "error"),
          ),
        );
      }
      expect(outcomes).not.toContain("hang");
      expect(outcomes.slice(-3), outcomes.join(",")).toEqual(["ok", "ok", "ok"]);
    }
    await admin.end();
  });
});

describe.skipIf(!serverUrl)("a conversion whose connection dies while it is written (PostgreSQL)", () => {
  it("keeps its cap place: nothing is known of the write, and a cap may come out one short, never over", async () => {
    const owner = await createTestDatabase();
    const { url } = await serverAddressOf(owner);
    const app = createDatabase({ url, poolMax: 2 });
    // Two connections: one holds the lock, the other looks for the waiting backend.
    const admin = postgres(url, { max: 2, onnotice: () => {} });
    try {
      const world = await createWorld(owner.db);
      const capId = await addCap(owner.db, world.networkId, world.offerId, { goalKey: null, affiliateId: null, period: "day", metric: "count", capLimit: "10", action: "reject" });
      const click = await world.click();
      // The conversion's write waits on a lock another session holds, and its backend is killed there.
      const blocker = admin.reserve();
      const held = await blocker;
      await held`begin`;
      await held`lock table conversions in share mode`;
      const answer = handleIncomingPostback(app.db, postbackRequest(world.endpointId, { token: world.secret, click_id: click, status: "paid" }), world.endpointId);
      let waiting: number | undefined;
      for (let i = 0; i < 100 && waiting === undefined; i++) {
        await new Promise((r) => setTimeout(r, 50));
        [{ pid: waiting } = { pid: undefined }] = await admin`select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%conversions%'`;
      }
      expect(waiting).toBeDefined();
      await admin`select pg_terminate_backend(${waiting!})`;
      expect((await answer).status).toBe(503);
      await held`rollback`;
      held.release();
      const [counter] = await owner.db.select().from(capCounters).where(eq(capCounters.capId, capId));
      expect(counter.used).toBe("1.0000");
    } finally {
      await admin.end();
      await app.close().catch(() => {});
      await owner.close();
    }
  });
});
