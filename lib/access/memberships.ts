import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type Membership, memberships, offers, organizations } from "@/db/schema";
import { z } from "zod";
import { localizable } from "@/lib/platform/error-messages";
import { AppError } from "@/lib/platform/errors";
import { cursorColumn, newestFirst, olderThan, type Page, type Paged } from "@/lib/platform/paging";
import type { Viewer } from "./users";
import { createId } from "@/lib/platform/ids";

export const membershipDecisionSchema = z.object({ status: z.enum(["approved", "rejected"], "Approve or reject: approved or rejected.") });
export const membershipRequestSchema = z.object({ networkId: z.string().trim().min(1, localizable("errors.form.pickNetwork")).max(64) });

type NetworkMembershipRow = { membership: Membership; affiliateName: string };
type AffiliateMembershipRow = { membership: Membership; networkName: string };
type JoinableNetworkRow = { id: string; name: string; createdAt: Date };

/** The network's memberships (one of them with `membershipId`). */
export function listNetworkMemberships(db: Executor, networkId: string, page: Page): Promise<Paged<NetworkMembershipRow>[]>;
export function listNetworkMemberships(db: Executor, networkId: string, page?: undefined, membershipId?: string): Promise<NetworkMembershipRow[]>;
export function listNetworkMemberships(db: Executor, networkId: string, page?: Page, membershipId?: string): Promise<Paged<NetworkMembershipRow>[] | NetworkMembershipRow[]> {
  const query = db
    .select({ membership: memberships, affiliateName: organizations.name, ...cursorColumn(memberships.createdAt, page) })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.affiliateId))
    .where(and(eq(memberships.networkId, networkId), membershipId ? eq(memberships.id, membershipId) : undefined, olderThan(memberships.createdAt, memberships.id, page?.after)));
  return page ? query.orderBy(...newestFirst(memberships.createdAt, memberships.id)).limit(page.limit) : query.orderBy(asc(organizations.name));
}

/** The affiliate's memberships (one of them with `membershipId`). */
export function listAffiliateMemberships(db: Executor, affiliateId: string, page: Page): Promise<Paged<AffiliateMembershipRow>[]>;
export function listAffiliateMemberships(db: Executor, affiliateId: string, page?: undefined, membershipId?: string): Promise<AffiliateMembershipRow[]>;
export function listAffiliateMemberships(db: Executor, affiliateId: string, page?: Page, membershipId?: string): Promise<Paged<AffiliateMembershipRow>[] | AffiliateMembershipRow[]> {
  const query = db
    .select({ membership: memberships, networkName: organizations.name, ...cursorColumn(memberships.createdAt, page) })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.networkId))
    .where(and(eq(memberships.affiliateId, affiliateId), membershipId ? eq(memberships.id, membershipId) : undefined, olderThan(memberships.createdAt, memberships.id, page?.after)));
  return page ? query.orderBy(...newestFirst(memberships.createdAt, memberships.id)).limit(page.limit) : query.orderBy(asc(organizations.name));
}

/** A network's decision on an affiliate; another network's membership is "not found". */
export async function decideMembership(db: Executor, networkId: string, membershipId: string, status: "approved" | "rejected") {
  const [row] = await db
    .update(memberships)
    .set({ status, decidedAt: new Date() })
    .where(and(eq(memberships.id, membershipId), eq(memberships.networkId, networkId)))
    .returning({ id: memberships.id });
  if (!row) throw new AppError("not_found", "errors.notFound.networkMembership");
}

/**
 * An affiliate asks to join a network; asking again changes nothing, and a rejection stands.
 * Returns the membership's id. Only an affiliate asks: networks hold `memberships:write` too.
 */
export async function requestMembership(db: Executor, viewer: Viewer, networkId: string): Promise<string> {
  if (viewer.orgKind !== "affiliate") throw new AppError("forbidden", "errors.access.onlyAffiliateJoins");
  const [network] = await db.select({ id: organizations.id }).from(organizations).where(and(eq(organizations.id, networkId), eq(organizations.kind, "network")));
  if (!network) throw new AppError("invalid_input", "errors.access.unknownNetwork", { field: "networkId" });
  await db.insert(memberships).values({ id: createId("membership"), networkId, affiliateId: viewer.orgId, status: "pending" }).onConflictDoNothing();
  const [row] = await db.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.networkId, networkId), eq(memberships.affiliateId, viewer.orgId)));
  return row.id;
}

/** Networks the affiliate is not a member of yet, for join requests. */
export function listJoinableNetworks(db: Executor, affiliateId: string, page: Page): Promise<Paged<JoinableNetworkRow>[]>;
export function listJoinableNetworks(db: Executor, affiliateId: string): Promise<JoinableNetworkRow[]>;
export function listJoinableNetworks(db: Executor, affiliateId: string, page?: Page): Promise<Paged<JoinableNetworkRow>[] | JoinableNetworkRow[]> {
  const query = db
    .select({ id: organizations.id, name: organizations.name, createdAt: organizations.createdAt, ...cursorColumn(organizations.createdAt, page) })
    .from(organizations)
    .leftJoin(memberships, and(eq(memberships.networkId, organizations.id), eq(memberships.affiliateId, affiliateId)))
    .where(and(eq(organizations.kind, "network"), isNull(memberships.id), isNull(organizations.disabledAt), olderThan(organizations.createdAt, organizations.id, page?.after)));
  return page ? query.orderBy(...newestFirst(organizations.createdAt, organizations.id)).limit(page.limit) : query.orderBy(asc(organizations.name));
}

/** Join condition from offers to the affiliate's approved membership of their network: the offers it may promote. */
export function approvedMembershipOf(affiliateId: string) {
  return and(eq(memberships.networkId, offers.networkId), eq(memberships.affiliateId, affiliateId), eq(memberships.status, "approved"));
}
