import { z } from "zod";
import { dispatchSettingsFromEnv } from "@/lib/outgoing/delivery-attempts";
import { createPostback, deletePostback, postbackInputSchema, postbackTestSchema, setPostbackEnabled, testPostback, updatePostback } from "@/lib/outgoing/postback-config";
import { getOwnPostback, listOwnPostbacks } from "@/lib/outgoing/postbacks";
import { AppError } from "@/lib/platform/errors";
import { operation } from "../operation";
import { patched, patchOf } from "./common";
import { pageFrom, pageOf, pageQuery, pageSchema } from "../pagination";
import { id, idParams, okSchema, timestamp } from "../schemas";

const postbackSchema = z
  .object({
    id: id("The postback's id."),
    name: z.string(),
    scope: z.enum(["all", "offer", "campaign", "merchant"]),
    offerId: z.string().nullable(),
    campaignId: z.string().nullable(),
    merchantId: z.string().nullable(),
    statuses: z.array(z.enum(["lead", "approved", "rejected", "hold"])),
    goals: z.array(z.string()).nullable().meta({ description: "Goal keys it is sent for; null: every goal." }),
    method: z.enum(["GET", "POST"]),
    bodyFormat: z.enum(["none", "form", "json"]),
    urlTemplate: z.string(),
    bodyTemplate: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
    enabled: z.boolean(),
    pausedAt: timestamp.nullable(),
    pausedReason: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    hasSigningSecret: z.boolean().optional().meta({ description: "Whether requests are signed; the secret itself is never returned." }),
    createdAt: timestamp,
  })
  .meta({ id: "Postback" });

/** Null means "none" in a stored row and "not given" to the input schema. */
const withoutNulls = (values: object) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));

async function ownPostback(db: Parameters<typeof getOwnPostback>[0], orgId: string, postbackId: string) {
  const postback = await getOwnPostback(db, orgId, postbackId);
  if (!postback) throw new AppError("not_found", "errors.notFound.postback");
  return postback;
}

const testResultSchema = z
  .object({
    sample: z.boolean().meta({ description: "Sent with sample values (true) or the latest matching conversion." }),
    conversion: z.object({ conversionId: z.string(), status: z.string(), at: z.string() }).nullable(),
    request: z.object({ method: z.string(), url: z.string(), body: z.string().nullable() }),
    response: z.object({ ok: z.boolean(), status: z.number().nullable(), body: z.string().nullable(), durationMs: z.number(), error: z.string().nullable() }),
  })
  .meta({ id: "PostbackTestResult" });

/** Outgoing postbacks: the affiliate's to its tracker, the network's to its merchants. */
export const postbackOperations = [
  operation({
    id: "listPostbacks",
    method: "get",
    path: "/postbacks",
    tag: "Postbacks",
    summary: "List your outgoing postbacks",
    permission: "postbacks:read",
    query: pageQuery,
    response: pageSchema(postbackSchema),
    handler: async ({ query }, { db, principal }) => pageOf(await listOwnPostbacks(db, principal.orgId, pageFrom(query)), query, (p) => p.cursorAt),
  }),
  operation({
    id: "getPostback",
    method: "get",
    path: "/postbacks/{id}",
    tag: "Postbacks",
    summary: "Get one outgoing postback",
    permission: "postbacks:read",
    params: idParams,
    response: postbackSchema,
    handler: ({ params }, { db, principal }) => ownPostback(db, principal.orgId, params.id),
  }),
  operation({
    id: "createPostback",
    method: "post",
    path: "/postbacks",
    tag: "Postbacks",
    summary: "Create an outgoing postback",
    description: "The same checks as the postback form: scope within your offers and campaigns, known macros, a URL the delivery guard allows.",
    permission: "postbacks:write",
    body: postbackInputSchema,
    response: postbackSchema,
    status: 201,
    handler: async ({ body }, { db, principal }) => ownPostback(db, principal.orgId, await createPostback(db, principal, body, dispatchSettingsFromEnv())),
  }),
  operation({
    id: "updatePostback",
    method: "patch",
    path: "/postbacks/{id}",
    tag: "Postbacks",
    summary: "Update an outgoing postback",
    description: "Send only the fields to change; the others keep their values (the signing secret too). `enabled` pauses or resumes it. The result is checked as on create.",
    permission: "postbacks:write",
    params: idParams,
    body: patchOf(postbackInputSchema),
    response: postbackSchema,
    handler: async ({ params, body }, { db, principal }) => {
      const { id: _id, hasSigningSecret: _secret, pausedAt: _p, pausedReason: _r, consecutiveFailures: _c, createdAt: _t, ...stored } = await ownPostback(db, principal.orgId, params.id);
      // The stored settings with the sent fields over them, checked whole (scope, macros, the guard).
      const input = postbackInputSchema.parse(withoutNulls(patched(stored, body as Partial<typeof stored>)));
      await updatePostback(db, principal, params.id, input, dispatchSettingsFromEnv());
      if (body.enabled !== undefined) await setPostbackEnabled(db, principal, params.id, input.enabled);
      return ownPostback(db, principal.orgId, params.id);
    },
  }),
  operation({
    id: "deletePostback",
    method: "delete",
    path: "/postbacks/{id}",
    tag: "Postbacks",
    summary: "Delete an outgoing postback with its deliveries",
    permission: "postbacks:write",
    params: idParams,
    response: okSchema,
    handler: async ({ params }, { db, principal }) => {
      await deletePostback(db, principal, params.id);
      return { ok: true as const };
    },
  }),
  operation({
    id: "testPostback",
    method: "post",
    path: "/postbacks/{id}/test",
    tag: "Postbacks",
    summary: "Send a saved postback once, as the Test button does",
    permission: "postbacks:write",
    params: idParams,
    body: z.object({ testWith: postbackTestSchema.shape.testWith }),
    response: testResultSchema,
    handler: async ({ params, body }, { db, principal }) => {
      const { request, result, sample, conversion } = await testPostback(db, principal, { id: params.id }, dispatchSettingsFromEnv(), body.testWith);
      return {
        sample,
        conversion,
        request: { method: request.method, url: request.url, body: request.body ?? null },
        response: { ok: result.ok, status: result.status, body: result.body, durationMs: result.durationMs, error: result.errorMessage },
      };
    },
  }),
];
