import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, offers, organizations } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";
import { createId } from "@/lib/platform/ids";

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

/** A network's decision on an affiliate; another network's membership is "not found". */
export async function decideMembership(db: Executor, networkId: string, membershipId: string, status: "approved" | "rejected") {
  const [row] = await db
    .update(memberships)
    .set({ status, decidedAt: new Date() })
    .where(and(eq(memberships.id, membershipId), eq(memberships.networkId, networkId)))
    .returning({ id: memberships.id });
  if (!row) throw new AppError("not_found", "No membership of your network has this id.");
}

/** An affiliate asks to join a network; asking again changes nothing, and a rejection stands. */
export async function requestMembership(db: Executor, affiliateId: string, networkId: string) {
  const [network] = await db.select({ id: organizations.id }).from(organizations).where(and(eq(organizations.id, networkId), eq(organizations.kind, "network")));
  if (!network) throw new AppError("not_found", "No such network.");
  await db.insert(memberships).values({ id: createId("membership"), networkId, affiliateId, status: "pending" }).onConflictDoNothing();
}

/** Networks the affiliate is not a member of yet, for join requests. */
export function listJoinableNetworks(db: Executor, affiliateId: string) {
  return db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .leftJoin(memberships, and(eq(memberships.networkId, organizations.id), eq(memberships.affiliateId, affiliateId)))
    .where(and(eq(organizations.kind, "network"), isNull(memberships.id), isNull(organizations.disabledAt)))
    .orderBy(asc(organizations.name));
}

/** Join condition from offers to the affiliate's approved membership of their network: the offers it may promote. */
export function approvedMembershipOf(affiliateId: string) {
  return and(eq(memberships.networkId, offers.networkId), eq(memberships.affiliateId, affiliateId), eq(memberships.status, "approved"));
}
