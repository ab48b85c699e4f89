import type { Database } from "@/db/client";
import { createTestDatabase } from "./test-db";
import { createWorld } from "./world";
import { createApiKey } from "@/lib/access/api-keys";
import { handleApiRequest } from "@/lib/api/handle";
import { API_ROUTES } from "@/lib/api/operations";

export type ApiAnswer = { status: number; body: any; headers: Headers };

/**
 * A client of /api/v1 with a fresh key of `orgId`, answered by the API's own handler (the route
 * file only hands requests to it). Work a request leaves for after its answer (waking
 * deliveries) runs before `call` returns.
 */
export async function apiClient(db: Database, orgId: string, access: "read" | "write" = "write") {
  const { key } = await createApiKey(db, orgId, { name: `test ${access}`, access });
  async function call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; key?: string | null } = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.key !== null) headers.authorization = `Bearer ${init.key ?? key}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const request = new Request(`http://postline.test/api/v1${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    });
    const later: (() => Promise<void>)[] = [];
    const response = await handleApiRequest(db, API_ROUTES, request, { after: (work) => later.push(work) });
    for (const work of later) await work();
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  }
  return {
    key,
    call,
    get: (path: string) => call("GET", path),
    post: (path: string, body: unknown = {}, headers?: Record<string, string>) => call("POST", path, { body, headers }),
    patch: (path: string, body: unknown) => call("PATCH", path, { body }),
    delete: (path: string) => call("DELETE", path),
  };
}
export type ApiClient = Awaited<ReturnType<typeof apiClient>>;

/**
 * What the API tests start from: a fresh database with two worlds (tests/helpers/world.ts), a
 * client for each party of the first with a read-only one beside its network and affiliate, and
 * the second world's network and affiliate, whose ids are another organization's.
 */
export async function apiWorlds() {
  const handle = await createTestDatabase();
  const world = await createWorld(handle.db);
  const other = await createWorld(handle.db);
  const [network, networkRead, affiliate, affiliateRead, merchant, otherNetwork, otherAffiliate] = await Promise.all([
    apiClient(handle.db, world.networkId),
    apiClient(handle.db, world.networkId, "read"),
    apiClient(handle.db, world.affiliateId),
    apiClient(handle.db, world.affiliateId, "read"),
    apiClient(handle.db, world.merchantId),
    apiClient(handle.db, other.networkId),
    apiClient(handle.db, other.affiliateId),
  ]);
  return { handle, world, other, network, networkRead, affiliate, affiliateRead, merchant, otherNetwork, otherAffiliate };
}
