import { z } from "zod";
import { localizable } from "@/lib/platform/error-messages";
import { replayInBulk, bulkReplaySchema, BULK_REPLAY_MAX } from "@/lib/outgoing/bulk-replay";
import { replayDelivery } from "@/lib/outgoing/delivery-attempts";
import { wakeDeliveries } from "@/lib/outgoing/dispatcher";
import { AppError } from "@/lib/platform/errors";
import { getDeliveryDetail, getIncomingDetail, listIncoming, listOutgoing, logFilterSchema, type LogFilters } from "@/lib/reports/logs";
import { operation } from "../operation";
import { pageQuery, pageSchema, seqPageFrom, seqPageOf } from "../pagination";
import { id, idParams, oneOf, timestamp } from "../schemas";

const isoTime = z.iso.datetime({ offset: true, error: localizable("errors.form.isoTime") }).optional();

/** The log pages' filters, strict: a value that is not one is a 422 (the page ignores it instead). */
const outgoingQuery = pageQuery.extend({
  state: z.enum(["pending", "delivered", "failed", "cancelled"]).optional(),
  codeClass: z.enum(["2xx", "3xx", "4xx", "5xx", "none"]).optional().meta({ description: "The last answer's class; `none`: no answer (timeout, refused)." }),
  postbackId: logFilterSchema.shape.postbackId,
  offerId: logFilterSchema.shape.offerId,
  from: isoTime,
  to: isoTime,
  q: logFilterSchema.shape.q.meta({ description: "An id, matched exactly: delivery, conversion, click or transaction id." }),
});

const incomingQuery = pageQuery.extend({
  result: z.enum(["accepted", "duplicate", "ignored", "rejected"]).optional(),
  codeClass: outgoingQuery.shape.codeClass,
  offerId: logFilterSchema.shape.offerId,
  from: isoTime,
  to: isoTime,
  q: logFilterSchema.shape.q.meta({ description: "An id, matched exactly: click, transaction, conversion or log row id." }),
});

const deliverySchema = z
  .object({
    id: id("The delivery's id."),
    at: timestamp.meta({ description: "When the status change it relays happened." }),
    changedAt: timestamp,
    state: oneOf(["pending", "delivered", "failed", "cancelled"]),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: timestamp.nullable(),
    postbackId: z.string(),
    postbackName: z.string(),
    destinationHost: z.string(),
    ownerName: z.string(),
    own: z.boolean().meta({ description: "Your own postback's delivery (you may replay it)." }),
    masked: z.boolean().meta({ description: "Another organization's delivery you may read masked (a network reading its affiliates')." }),
    conversionId: z.string(),
    clickId: z.string(),
    transactionId: z.string().nullable(),
    status: z.string().meta({ description: "The conversion status it relays." }),
    offerId: z.string(),
  })
  .meta({ id: "Delivery" });

const attemptSchema = z
  .object({
    id: z.string(),
    attemptNumber: z.number().int(),
    trigger: z.enum(["initial", "retry", "replay", "test"]),
    method: z.string(),
    url: z.string().meta({ description: "As sent, secret-looking values masked." }),
    requestHeaders: z.record(z.string(), z.string()),
    requestBody: z.string().nullable(),
    responseStatus: z.number().int().nullable(),
    responseHeaders: z.record(z.string(), z.string()).nullable(),
    responseBody: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    ok: z.boolean(),
    errorClass: z.string().nullable(),
    errorMessage: z.string().nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "DeliveryAttempt" });

const incomingSchema = z
  .object({
    id: id("The log row's id."),
    at: timestamp,
    method: z.string(),
    result: oneOf(["accepted", "duplicate", "ignored", "rejected"]),
    httpStatus: z.number().int(),
    errorCode: z.string().nullable(),
    message: z.string().nullable(),
    clickId: z.string().nullable(),
    transactionId: z.string().nullable(),
    status: z.string().nullable(),
    originalStatus: z.string().nullable(),
    sourceIp: z.string().nullable(),
    conversionId: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    params: z.record(z.string(), z.unknown()).meta({ description: "The parameters as received, secrets masked." }),
  })
  .meta({ id: "IncomingLogRow" });

const detail = async (db: Parameters<typeof getDeliveryDetail>[0], viewer: Parameters<typeof getDeliveryDetail>[1], deliveryId: string) => {
  const found = await getDeliveryDetail(db, viewer, deliveryId);
  if (!found) throw new AppError("not_found", "errors.notFound.readableDelivery");
  return found;
};

/** The API's query as the log layer's filters (the outgoing log's `state` is its `result`). */
function filtersOf<Q extends { limit: number; cursor?: string; state?: LogFilters["result"]; result?: LogFilters["result"] }>(query: Q): LogFilters {
  const { limit: _limit, cursor: _cursor, state, result, ...rest } = query;
  return { ...rest, result: state ?? result };
}

/** Deliveries (the outgoing log) with their attempts, replays one at a time or in bulk, and the incoming log. */
export const deliveryOperations = [
  operation({
    id: "listDeliveries",
    method: "get",
    path: "/deliveries",
    tag: "Deliveries",
    summary: "List deliveries (the outgoing log)",
    description: "Your postbacks' deliveries, those sent to you, and for a network its affiliates' (masked). Newest first.",
    permission: "logs:read",
    query: outgoingQuery,
    response: pageSchema(deliverySchema),
    handler: async ({ query }, { db, principal }) => seqPageOf(await listOutgoing(db, principal, filtersOf(query), seqPageFrom(query)), query),
  }),
  operation({
    id: "getDelivery",
    method: "get",
    path: "/deliveries/{id}",
    tag: "Deliveries",
    summary: "Get one delivery with its attempts",
    permission: "logs:read",
    params: idParams,
    response: deliverySchema.extend({ attempts: z.array(attemptSchema) }).meta({ id: "DeliveryWithAttempts" }),
    handler: async ({ params }, { db, principal }) => {
      const { delivery, attempts } = await detail(db, principal, params.id);
      return { ...delivery, attempts };
    },
  }),
  operation({
    id: "listDeliveryAttempts",
    method: "get",
    path: "/deliveries/{id}/attempts",
    tag: "Deliveries",
    summary: "List one delivery's attempts, oldest first",
    permission: "logs:read",
    params: idParams,
    response: z.object({ data: z.array(attemptSchema) }),
    handler: async ({ params }, { db, principal }) => ({ data: (await detail(db, principal, params.id)).attempts }),
  }),
  operation({
    id: "replayDelivery",
    method: "post",
    path: "/deliveries/{id}/replay",
    tag: "Deliveries",
    summary: "Replay one failed delivery of your own postback",
    description: "It goes back to pending and is attempted at once, with its retries; a delivery that is not failed or cancelled is a 409.",
    permission: "postbacks:write",
    params: idParams,
    response: z.object({ id: z.string(), state: z.literal("pending"), replays: z.number().int() }),
    status: 202,
    handler: async ({ params }, { db, principal, after }) => {
      const delivery = await replayDelivery(db, principal.orgId, params.id);
      after(() => wakeDeliveries([{ id: delivery.id, host: delivery.destinationHost }], `replay-${delivery.replays}`));
      return { id: delivery.id, state: "pending" as const, replays: delivery.replays };
    },
  }),
  operation({
    id: "replayDeliveries",
    method: "post",
    path: "/deliveries/replay",
    tag: "Deliveries",
    summary: "Replay every failed delivery of a time range",
    description: `After an outage: your postbacks' deliveries that ended failed (or cancelled) and were created in [since, until), of one postback or all, oldest first, up to ${BULK_REPLAY_MAX} a request (\`remaining\` says how many are left). \`dryRun: true\` only counts them.`,
    permission: "postbacks:write",
    body: bulkReplaySchema,
    response: z.object({ dryRun: z.boolean(), matched: z.number().int(), replayed: z.number().int(), remaining: z.number().int() }).meta({ id: "BulkReplayResult" }),
    handler: async ({ body }, { db, principal, after }) => {
      const result = await replayInBulk(db, principal.orgId, body);
      // Each wake names its replay, so that Inngest does not take it for the first wake's repeat.
      const byReplay = new Map<number, typeof result.queued>();
      for (const delivery of result.queued) byReplay.set(delivery.replays, [...(byReplay.get(delivery.replays) ?? []), delivery]);
      after(async () => {
        for (const [replays, queued] of byReplay) await wakeDeliveries(queued, `replay-${replays}`);
      });
      return { dryRun: body.dryRun, matched: result.matched, replayed: result.replayed, remaining: result.remaining };
    },
  }),
  operation({
    id: "listIncomingLog",
    method: "get",
    path: "/logs/incoming",
    tag: "Logs",
    summary: "List incoming postbacks (the incoming log)",
    description: "Every request your endpoints received, accepted or refused, newest first. Networks and merchants.",
    permission: "endpoints:read",
    query: incomingQuery,
    response: pageSchema(incomingSchema),
    handler: async ({ query }, { db, principal }) => seqPageOf(await listIncoming(db, principal, filtersOf(query), seqPageFrom(query)), query),
  }),
  operation({
    id: "getIncomingLogRow",
    method: "get",
    path: "/logs/incoming/{id}",
    tag: "Logs",
    summary: "Get one incoming log row",
    permission: "endpoints:read",
    params: idParams,
    response: incomingSchema,
    handler: async ({ params }, { db, principal }) => {
      const row = await getIncomingDetail(db, principal, params.id);
      if (!row) throw new AppError("not_found", "errors.notFound.incomingRequest");
      return row;
    },
  }),
];
