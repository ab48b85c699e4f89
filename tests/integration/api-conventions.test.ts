import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { can, type OrgKind } from "@/lib/access/permissions";
import { API_OPERATIONS } from "@/lib/api/operations";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld } from "../helpers/world";
import { apiClient, type ApiClient } from "../helpers/api";

/**
 * The rules every endpoint keeps, checked on every declared operation rather than one by one:
 * an endpoint outside the key's party is a 404, a read-only key's write is a 403 before anything
 * runs, and an id that is not the caller's is a 404.
 */
let handle: DatabaseHandle;
const clients = {} as Record<Exclude<OrgKind, "platform">, { write: ApiClient; read: ApiClient }>;

beforeAll(async () => {
  handle = await createTestDatabase();
  const world = await createWorld(handle.db);
  for (const [party, orgId] of [["network", world.networkId], ["affiliate", world.affiliateId], ["merchant", world.merchantId]] as const) {
    clients[party] = { write: await apiClient(handle.db, orgId), read: await apiClient(handle.db, orgId, "read") };
  }
});
afterAll(() => handle.close());

const pathOf = (template: string) => template.replace(/\{\w+\}/g, "nope_0000");
const bodyFor = (method: string) => (method === "post" || method === "patch" ? { body: {} } : {});

describe(`every management API operation on ${testDriver}`, () => {
  for (const party of ["network", "affiliate", "merchant"] as const) {
    it(`answers a ${party}'s keys by the permission table`, async () => {
      for (const op of API_OPERATIONS) {
        const where = `${op.method.toUpperCase()} ${op.path} as ${party}`;
        const path = pathOf(op.path);
        const allowed = can({ orgKind: party, role: "member" }, op.permission);
        const write = !op.permission.endsWith(":read");
        if (!allowed) {
          expect((await clients[party].write.call(op.method.toUpperCase(), path, bodyFor(op.method))).status, where).toBe(404);
          continue;
        }
        if (write) {
          expect(await clients[party].read.call(op.method.toUpperCase(), path, bodyFor(op.method)), where).toMatchObject({ status: 403, body: { error: { code: "read_only_key" } } });
        }
        if (op.method === "get" && op.path.includes("{")) {
          expect(await clients[party].read.get(path), where).toMatchObject({ status: 404, body: { ok: false } });
        }
      }
    });
  }

  it("declares each operation once, with a unique id, a permission of the table and a response schema", () => {
    const ids = API_OPERATIONS.map((op) => op.id);
    expect(new Set(ids).size).toBe(ids.length);
    const routes = API_OPERATIONS.map((op) => `${op.method} ${op.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });
});
