import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, organizations } from "@/db/schema";

export function listNetworkMemberships(db: Executor, networkId: string) {
  return db
    .select({ membership: memberships, affiliateName: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.affiliateId))
    .where(eq(memberships.networkId, networkId))
    .orderBy(asc(organizations.name));
}

export function listAffiliateMemberships(db: Executor, affiliateId: string) {
  return db
    .select({ membership: memberships, networkName: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.networkId))
    .where(eq(memberships.affiliateId, affiliateId))
    .orderBy(asc(organizations.name));
}
