import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { outgoingPostbacks } from "@/db/schema";

/** Postbacks without their signing secret: what pages may show. */
export function listOwnPostbacks(db: Executor, ownerOrgId: string) {
  return db
    .select({
      id: outgoingPostbacks.id,
      name: outgoingPostbacks.name,
      scope: outgoingPostbacks.scope,
      statuses: outgoingPostbacks.statuses,
      method: outgoingPostbacks.method,
      urlTemplate: outgoingPostbacks.urlTemplate,
      enabled: outgoingPostbacks.enabled,
      pausedReason: outgoingPostbacks.pausedReason,
    })
    .from(outgoingPostbacks)
    .where(eq(outgoingPostbacks.ownerOrgId, ownerOrgId))
    .orderBy(asc(outgoingPostbacks.name));
}
