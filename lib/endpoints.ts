import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { incomingEndpoints, organizations } from "@/db/schema";

/** Endpoint rows without the secret's hash: what pages may show. */
const publicEndpointColumns = {
  id: incomingEndpoints.id,
  name: incomingEndpoints.name,
  networkId: incomingEndpoints.networkId,
  merchantId: incomingEndpoints.merchantId,
  secretHint: incomingEndpoints.secretHint,
  ipAllowList: incomingEndpoints.ipAllowList,
  statusMap: incomingEndpoints.statusMap,
  enabled: incomingEndpoints.enabled,
  createdAt: incomingEndpoints.createdAt,
};

export function listMerchantEndpoints(db: Executor, merchantId: string) {
  return db
    .select({ ...publicEndpointColumns, networkName: organizations.name })
    .from(incomingEndpoints)
    .innerJoin(organizations, eq(organizations.id, incomingEndpoints.networkId))
    .where(eq(incomingEndpoints.merchantId, merchantId))
    .orderBy(asc(incomingEndpoints.name));
}

export function listNetworkEndpoints(db: Executor, networkId: string) {
  return db
    .select({ ...publicEndpointColumns, merchantName: organizations.name })
    .from(incomingEndpoints)
    .innerJoin(organizations, eq(organizations.id, incomingEndpoints.merchantId))
    .where(eq(incomingEndpoints.networkId, networkId))
    .orderBy(asc(incomingEndpoints.name));
}

/** The URL a merchant's server calls for this endpoint. */
export function endpointPath(endpointId: string): string {
  return `/api/postback/${endpointId}`;
}
