import { z } from "zod";
import type { Executor } from "@/db/client";
import type { ApiKeyPrincipal } from "@/lib/access/api-keys";
import {
  createEndpoint,
  endpointInputSchema,
  endpointPath,
  getNetworkEndpoint,
  listMerchantEndpoints,
  listNetworkEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
  type EndpointInput,
} from "@/lib/incoming/endpoints";
import { forgetEndpoint } from "@/lib/incoming/incoming";
import { AppError } from "@/lib/platform/errors";
import type { Paged } from "@/lib/platform/paging";
import { operation } from "../operation";
import { pageFrom, pageOf, pageQuery, pageSchema } from "../pagination";
import { id, idParams, timestamp } from "../schemas";
import { patched, patchOf } from "./common";

const statusTarget = z.enum(["lead", "approved", "rejected", "hold", "ignore"]);

/** Never the secret's hash, nor the signing secret: whether one is set, and the secret's last characters. */
const endpointSchema = z
  .object({
    id: id("The endpoint's id."),
    name: z.string(),
    path: z.string().meta({ description: "Where the merchant's server posts, after your Postline address." }),
    networkId: z.string(),
    networkName: z.string().optional().meta({ description: "Merchants." }),
    merchantId: z.string(),
    merchantName: z.string().optional().meta({ description: "Networks, in lists." }),
    secretHint: z.string().meta({ description: "The secret's last characters, to tell which one is in use." }),
    statusMap: z.record(z.string(), statusTarget).meta({ description: "The merchant's status words and the status each means." }),
    ipAllowList: z.array(z.string()).meta({ description: "Addresses and CIDR ranges allowed to post; empty for any." }),
    defaultStatus: z.enum(["lead", "approved", "rejected", "hold"]).optional().meta({ description: "Networks: the status of a postback without a status word." }),
    rateLimitPerMinute: z.number().int().optional().meta({ description: "Networks." }),
    amountsFromPostback: z
      .boolean()
      .optional()
      .meta({ description: "Networks: whether a payout or revenue in the merchant's postback sets the conversion's (true), or the offer's goals and payout rules always do (false)." }),
    hasSigningSecret: z.boolean().optional().meta({ description: "Networks: whether requests must be signed (HMAC-SHA256)." }),
    enabled: z.boolean(),
    createdAt: timestamp,
  })
  .meta({ id: "IncomingEndpoint" });

const newEndpointSchema = endpointSchema
  .extend({ secret: z.string().nullable().meta({ description: "The endpoint's secret, returned this once: only its hash is kept (null in an Idempotency-Key repeat: rotate it for a new one)." }) })
  .meta({ id: "NewIncomingEndpoint" });

const rotatedSchema = z
  .object({
    id: id("The endpoint's id."),
    secret: z.string().nullable().meta({ description: "The new secret, returned this once; the old one stops working (null in an Idempotency-Key repeat)." }),
    secretHint: z.string(),
  })
  .meta({ id: "RotatedEndpointSecret" });

type EndpointOut = z.input<typeof endpointSchema> & { id: string; createdAt: Date };

function withPath<T extends { id: string }>(row: T) {
  return { ...row, path: endpointPath(row.id) };
}

async function networkEndpoint(db: Executor, networkId: string, endpointId: string) {
  const found = await getNetworkEndpoint(db, networkId, endpointId);
  if (!found) throw new AppError("not_found", "errors.notFound.networkEndpoint");
  return found;
}

async function endpointFor(db: Executor, principal: ApiKeyPrincipal, endpointId: string): Promise<EndpointOut> {
  if (principal.orgKind === "network") return withPath(await networkEndpoint(db, principal.orgId, endpointId));
  const [found] = await listMerchantEndpoints(db, principal.orgId, undefined, endpointId);
  if (!found) throw new AppError("not_found", "errors.notFound.endpoint");
  return withPath(found);
}

const endpointPatchSchema = patchOf(endpointInputSchema);

/** Incoming endpoints: a network's to manage, a merchant's to read. */
export const endpointOperations = [
  operation({
    id: "listIncomingEndpoints",
    method: "get",
    path: "/incoming-endpoints",
    tag: "Incoming endpoints",
    summary: "List incoming endpoints: a network's, or those a merchant posts to",
    permission: "endpoints:read",
    query: pageQuery,
    response: pageSchema(endpointSchema),
    handler: async ({ query }, { db, principal }) => {
      const page = pageFrom(query);
      const rows: Paged<EndpointOut>[] =
        principal.orgKind === "network"
          ? (await listNetworkEndpoints(db, principal.orgId, page)).map(withPath)
          : (await listMerchantEndpoints(db, principal.orgId, page)).map(withPath);
      return pageOf(rows, query, (e) => e.cursorAt);
    },
  }),
  operation({
    id: "getIncomingEndpoint",
    method: "get",
    path: "/incoming-endpoints/{id}",
    tag: "Incoming endpoints",
    summary: "Get one incoming endpoint",
    permission: "endpoints:read",
    params: idParams,
    response: endpointSchema,
    handler: ({ params }, { db, principal }) => endpointFor(db, principal, params.id),
  }),
  operation({
    id: "createIncomingEndpoint",
    method: "post",
    path: "/incoming-endpoints",
    tag: "Incoming endpoints",
    summary: "Create an incoming endpoint for a merchant (networks)",
    description: "The answer carries the endpoint's secret this once; give it to the merchant. Only its hash is kept.",
    permission: "endpoints:write",
    secretFields: ["secret"],
    body: endpointInputSchema,
    response: newEndpointSchema,
    status: 201,
    handler: async ({ body }, { db, principal }) => {
      const { id: endpointId, secret } = await createEndpoint(db, principal.orgId, body);
      return { ...withPath(await networkEndpoint(db, principal.orgId, endpointId)), secret };
    },
  }),
  operation({
    id: "updateIncomingEndpoint",
    method: "patch",
    path: "/incoming-endpoints/{id}",
    tag: "Incoming endpoints",
    summary: "Update an incoming endpoint (networks)",
    description: "Send only the fields to change; the others keep their values. A signingSecret sets one; removeSigningSecret: true stops requiring signatures.",
    permission: "endpoints:write",
    params: idParams,
    body: endpointPatchSchema,
    response: endpointSchema,
    handler: async ({ params, body }, { db, principal }) => {
      const stored = await networkEndpoint(db, principal.orgId, params.id);
      const input: EndpointInput = {
        name: stored.name,
        merchantId: stored.merchantId,
        defaultStatus: stored.defaultStatus,
        statusMap: stored.statusMap,
        ipAllowList: stored.ipAllowList,
        rateLimitPerMinute: stored.rateLimitPerMinute,
        amountsFromPostback: stored.amountsFromPostback,
        signingSecret: null,
        removeSigningSecret: false,
        enabled: stored.enabled,
      };
      await updateEndpoint(db, principal.orgId, params.id, patched(input, body));
      forgetEndpoint(params.id);
      return withPath(await networkEndpoint(db, principal.orgId, params.id));
    },
  }),
  operation({
    id: "rotateIncomingEndpointSecret",
    method: "post",
    path: "/incoming-endpoints/{id}/rotate-secret",
    tag: "Incoming endpoints",
    summary: "Replace an endpoint's secret (networks)",
    description: "The old secret stops working at once; the new one is in this answer only.",
    permission: "endpoints:write",
    secretFields: ["secret"],
    params: idParams,
    response: rotatedSchema,
    handler: async ({ params }, { db, principal }) => {
      const rotated = await rotateEndpointSecret(db, principal.orgId, params.id);
      forgetEndpoint(params.id);
      return { ...rotated, secretHint: (await networkEndpoint(db, principal.orgId, params.id)).secretHint };
    },
  }),
];
