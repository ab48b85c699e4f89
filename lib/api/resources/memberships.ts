import { z } from "zod";
import type { Executor } from "@/db/client";
import type { Membership } from "@/db/schema";
import type { ApiKeyPrincipal } from "@/lib/access/api-keys";
import {
  decideMembership,
  listAffiliateMemberships,
  listJoinableNetworks,
  listNetworkMemberships,
  membershipDecisionSchema,
  membershipRequestSchema,
  requestMembership,
} from "@/lib/access/memberships";
import { AppError } from "@/lib/platform/errors";
import type { Page, Paged } from "@/lib/platform/paging";
import { operation } from "../operation";
import { pageFrom, pageOf, pageQuery, pageSchema } from "../pagination";
import { id, idParams, timestamp } from "../schemas";
import { onlyFor } from "./common";

const membershipSchema = z
  .object({
    id: id("The membership's id."),
    networkId: z.string(),
    networkName: z.string().optional().meta({ description: "Affiliates: the network's name." }),
    affiliateId: z.string(),
    affiliateName: z.string().optional().meta({ description: "Networks: the affiliate's name." }),
    status: z.enum(["pending", "approved", "rejected"]),
    decidedAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "Membership" });

const networkSchema = z.object({ id: id("The network's id."), name: z.string(), createdAt: timestamp }).meta({ id: "JoinableNetwork" });

type MembershipOut = z.input<typeof membershipSchema> & { id: string; createdAt: Date };

function view(membership: Membership, names: { networkName?: string; affiliateName?: string }): MembershipOut {
  const { id, networkId, affiliateId, status, decidedAt, createdAt } = membership;
  return { id, networkId, affiliateId, status, decidedAt, createdAt, ...names };
}

/** A page of the party's memberships: a network's affiliates, an affiliate's networks. */
async function membershipPage(db: Executor, principal: ApiKeyPrincipal, page: Page): Promise<Paged<MembershipOut>[]> {
  if (principal.orgKind === "network") {
    return (await listNetworkMemberships(db, principal.orgId, page)).map((r) => ({ ...view(r.membership, { affiliateName: r.affiliateName }), cursorAt: r.cursorAt }));
  }
  return (await listAffiliateMemberships(db, principal.orgId, page)).map((r) => ({ ...view(r.membership, { networkName: r.networkName }), cursorAt: r.cursorAt }));
}

async function membershipOf(db: Executor, principal: ApiKeyPrincipal, membershipId: string) {
  const [found] =
    principal.orgKind === "network"
      ? (await listNetworkMemberships(db, principal.orgId, undefined, membershipId)).map((r) => view(r.membership, { affiliateName: r.affiliateName }))
      : (await listAffiliateMemberships(db, principal.orgId, undefined, membershipId)).map((r) => view(r.membership, { networkName: r.networkName }));
  if (!found) throw new AppError("not_found", "errors.notFound.membership");
  return found;
}

/** A network's affiliates and their standing; an affiliate's networks, and its requests to join. */
export const membershipOperations = [
  operation({
    id: "listMemberships",
    method: "get",
    path: "/memberships",
    tag: "Memberships",
    summary: "List memberships: a network's affiliates, an affiliate's networks",
    permission: "memberships:read",
    query: pageQuery,
    response: pageSchema(membershipSchema),
    handler: async ({ query }, { db, principal }) => pageOf(await membershipPage(db, principal, pageFrom(query)), query, (m) => m.cursorAt),
  }),
  operation({
    id: "getMembership",
    method: "get",
    path: "/memberships/{id}",
    tag: "Memberships",
    summary: "Get one membership",
    permission: "memberships:read",
    params: idParams,
    response: membershipSchema,
    handler: ({ params }, { db, principal }) => membershipOf(db, principal, params.id),
  }),
  operation({
    id: "requestMembership",
    method: "post",
    path: "/memberships",
    tag: "Memberships",
    summary: "Ask to join a network (affiliates)",
    description: "Asking again changes nothing and answers the membership as it stands; a rejection stands.",
    permission: "memberships:write",
    body: membershipRequestSchema,
    response: membershipSchema,
    status: 201,
    handler: async ({ body }, { db, principal }) => {
      onlyFor(principal, "affiliate");
      return membershipOf(db, principal, await requestMembership(db, principal, body.networkId));
    },
  }),
  operation({
    id: "decideMembership",
    method: "patch",
    path: "/memberships/{id}",
    tag: "Memberships",
    summary: "Approve or reject an affiliate (networks)",
    permission: "memberships:write",
    params: idParams,
    body: membershipDecisionSchema,
    response: membershipSchema,
    handler: async ({ params, body }, { db, principal }) => {
      onlyFor(principal, "network");
      await decideMembership(db, principal.orgId, params.id, body.status);
      return membershipOf(db, principal, params.id);
    },
  }),
  operation({
    id: "listJoinableNetworks",
    method: "get",
    path: "/networks",
    tag: "Memberships",
    summary: "List the networks you can ask to join (affiliates)",
    permission: "memberships:read",
    query: pageQuery,
    response: pageSchema(networkSchema),
    handler: async ({ query }, { db, principal }) => {
      onlyFor(principal, "affiliate");
      return pageOf(await listJoinableNetworks(db, principal.orgId, pageFrom(query)), query, (n) => n.cursorAt);
    },
  }),
];
