import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { bound, boundRow, columnsOf, preparedStatement, valuesOf } from "@/db/prepared";
import {
  conversionEvents,
  conversions,
  deliveries,
  deliveryAttempts,
  type Delivery,
  offerGoals,
  offers,
  organizations,
  outgoingPostbacks,
} from "@/db/schema";
import { parseSchedule } from "@/lib/platform/durations";
import { getEnv } from "@/lib/platform/env";
import { AppError } from "@/lib/platform/errors";
import { createId } from "@/lib/platform/ids";
import { demoReceiverInbox, sendToDemoReceiver } from "@/lib/demo/receiver";
import { type OutgoingRequest, type OutgoingResult, sendGuardedRequest, type SendSettings } from "./outgoing-http";
import { macroValuesFor, maskHeaders, maskUrl, renderPostbackRequest } from "./postback-render";

export type DispatchSettings = SendSettings & { schedule: number[]; pauseAfterFailures: number };

export const MAX_LOGGED_RESPONSE_BYTES = 4096;

export function dispatchSettingsFromEnv(): DispatchSettings {
  const env = getEnv();
  return {
    schedule: parseSchedule(env.DELIVERY_RETRY_SCHEDULE),
    timeoutMs: env.DELIVERY_TIMEOUT_MS,
    maxResponseBytes: MAX_LOGGED_RESPONSE_BYTES,
    allowedAddresses: env.POSTBACK_ALLOWED_ADDRESSES.split(",").map((s) => s.trim()).filter(Boolean),
    pauseAfterFailures: env.POSTBACK_PAUSE_AFTER_FAILURES,
  };
}

export type AttemptOutcome =
  | { outcome: "delivered"; attempt: number }
  | { outcome: "retry"; attempt: number; retryInMs: number; error: string }
  | { outcome: "failed"; attempt: number; error: string }
  | { outcome: "skipped"; reason: string };

// A claimed attempt holds the delivery this long; another runner (a sweeper's re-emit) skips it.
const CLAIM_GRACE_MS = 30_000;
// A scheduled retry may fire this early and still claim its attempt.
const CLOCK_TOLERANCE_MS = 2_000;

/**
 * Makes the next attempt of one delivery: claims it (one runner at a time), renders and sends
 * the request through the SSRF guard, logs the attempt, and moves the delivery on — delivered,
 * scheduled for the next attempt, or failed after the last one. Safe to call twice for the same
 * delivery: the claim makes the second call a no-op. Two statements on the way of a delivery
 * that goes through: the claim with everything to render, and the attempt with its outcome.
 */
export async function attemptDelivery(db: Database, deliveryId: string, settings: DispatchSettings): Promise<AttemptOutcome> {
  const context = await claimDelivery(db, deliveryId, settings);
  if (!context) return { outcome: "skipped", reason: "not pending, or another attempt holds it" };
  const claimed = context.delivery;
  const { postback, conversion, event, offer } = context;
  if (!postback || !conversion || !event || !offer || !postback.enabled) {
    // Not sent, and not left pending for the sweeper to wake again and again.
    await db.update(deliveries).set({ state: "cancelled", updatedAt: sql`now()` }).where(eq(deliveries.id, claimed.id));
    return { outcome: "skipped", reason: postback?.enabled === false ? "the postback was disabled" : "the delivery's postback or conversion was deleted" };
  }
  // Organizations are never deleted; were the owner's missing, an affiliate's rendering shows least.
  const request = renderPostbackRequest(postback, macroValuesFor({ conversion, event, offer, goalName: context.goalName, deliveryId: claimed.id, ownerKind: context.ownerKind ?? "affiliate" }));
  // Whatever goes wrong while sending is an attempt that failed, logged and scheduled like any
  // other: an exception here would leave the delivery claimed, unlogged and retried forever.
  const result = await sendPostbackRequest(db, request, settings).catch(
    (error: Error): OutgoingResult => ({ ok: false, status: null, headers: {}, body: null, durationMs: 0, errorClass: "network", errorMessage: `The request could not be made: ${error.message}` }),
  );
  const trigger = claimed.attempts > 1 ? "retry" : claimed.replays > 0 ? "replay" : "initial";
  const attempt = attemptRow({ delivery: claimed, attemptNumber: claimed.attempts, trigger, request, result });

  if (result.ok) {
    await settleAttempt(db, attempt, "delivered", { lastStatusCode: result.status, lastErrorClass: null, lastError: null });
    return { outcome: "delivered", attempt: claimed.attempts };
  }

  const error = result.errorMessage ?? "failed";
  // A URL the guard refuses will not become acceptable by waiting.
  const last = claimed.attempts >= settings.schedule.length || result.errorClass === "blocked";
  logFailedAttempt(claimed, result, last ? null : settings.schedule[claimed.attempts]);
  if (!last) {
    const retryInMs = settings.schedule[claimed.attempts];
    await settleAttempt(db, attempt, "retry", { nextAttemptAt: new Date(Date.now() + retryInMs), lastStatusCode: result.status, lastErrorClass: result.errorClass, lastError: error });
    return { outcome: "retry", attempt: claimed.attempts, retryInMs, error };
  }
  await db.insert(deliveryAttempts).values(attempt);
  await markFailed(db, claimed, { status: result.status, errorClass: result.errorClass, error }, settings);
  return { outcome: "failed", attempt: claimed.attempts, error };
}

/**
 * One line per failed attempt in the server log, with no stack: what an operator greps for. The
 * attempt's full story (request, answer, message) is in its log row.
 */
function logFailedAttempt(delivery: Pick<Delivery, "id" | "destinationHost" | "attempts">, result: OutgoingResult, retryInMs: number | null) {
  const next = retryInMs === null ? "next=none" : `next_in_ms=${retryInMs}`;
  console.warn(
    `[postline] delivery attempt failed delivery=${delivery.id} host=${delivery.destinationHost} attempt=${delivery.attempts} error=${result.errorClass ?? "unknown"} status=${result.status ?? "none"} ${next}`,
  );
}

/** Sends one postback request: to the built-in demo receiver in process, or through the SSRF guard. */
export function sendPostbackRequest(db: Executor, request: OutgoingRequest, settings: SendSettings): Promise<OutgoingResult> {
  const demoInbox = demoReceiverInbox(request.url);
  return demoInbox === null ? sendGuardedRequest(request, settings) : sendToDemoReceiver(db, request, demoInbox);
}

/**
 * Claims the delivery's next attempt — pending and due (or nearly), then held for the request's
 * timeout — and reads what rendering it needs, in one statement. Null when it is not claimable.
 */
async function claimDelivery(db: Database, deliveryId: string, settings: DispatchSettings) {
  const statement = preparedStatement(db, "claim-delivery", (name) => {
    const claimed = db.$with("claimed").as(
      db
        .update(deliveries)
        .set({ attempts: sql`${deliveries.attempts} + 1`, nextAttemptAt: bound(deliveries, "nextAttemptAt", "leaseUntil"), lastAttemptAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(deliveries.id, sql.placeholder("deliveryId")), eq(deliveries.state, "pending"), lte(deliveries.nextAttemptAt, bound(deliveries, "nextAttemptAt", "dueBy"))))
        .returning(),
    );
    return db
      .with(claimed)
      .select({ delivery: columnsOf(deliveries, claimed), postback: outgoingPostbacks, conversion: conversions, event: conversionEvents, offer: offers, ownerKind: organizations.kind, goalName: offerGoals.name })
      .from(claimed)
      .leftJoin(organizations, eq(organizations.id, claimed.ownerOrgId))
      .leftJoin(outgoingPostbacks, eq(outgoingPostbacks.id, claimed.postbackId))
      .leftJoin(conversions, eq(conversions.id, claimed.conversionId))
      .leftJoin(conversionEvents, eq(conversionEvents.id, claimed.conversionEventId))
      .leftJoin(offers, eq(offers.id, conversions.offerId))
      .leftJoin(offerGoals, and(eq(offerGoals.offerId, conversions.offerId), eq(offerGoals.key, conversions.goalKey)))
      .prepare(name);
  });
  const [row] = await statement.execute({
    deliveryId,
    leaseUntil: new Date(Date.now() + settings.timeoutMs + CLAIM_GRACE_MS),
    dueBy: new Date(Date.now() + CLOCK_TOLERANCE_MS),
  });
  return row as (typeof row & { delivery: Delivery }) | undefined;
}

/**
 * The attempt's log row and the delivery's new state in one statement; after a success the
 * postback's count of failures in a row starts again (written only when it is not already zero,
 * so that deliveries do not queue on the postback's row).
 */
async function settleAttempt(db: Database, attempt: ReturnType<typeof attemptRow> & { deliveryId: string }, outcome: "delivered" | "retry", changes: SettledChanges) {
  const statement = preparedStatement(db, `settle-attempt:${outcome}`, (name) => {
    const logged = db.$with("logged").as(db.insert(deliveryAttempts).values(boundRow(deliveryAttempts, ATTEMPT_COLUMNS, "attempt")).returning({ id: deliveryAttempts.id }));
    const moved = db.$with("moved").as(
      db
        .update(deliveries)
        .set({
          ...(outcome === "delivered" ? { state: "delivered", deliveredAt: sql`now()` } : boundRow(deliveries, ["nextAttemptAt"], "changes")),
          ...boundRow(deliveries, ["lastStatusCode", "lastErrorClass", "lastError"], "changes"),
          updatedAt: sql`now()`,
        })
        .where(eq(deliveries.id, sql.placeholder("attempt.deliveryId")))
        .returning({ id: deliveries.id }),
    );
    const reset = db.$with("reset").as(
      db
        .update(outgoingPostbacks)
        .set({ consecutiveFailures: 0 })
        .where(and(eq(outgoingPostbacks.id, sql.placeholder("attempt.postbackId")), outcome === "delivered" ? gt(outgoingPostbacks.consecutiveFailures, 0) : sql`false`))
        .returning({ id: outgoingPostbacks.id }),
    );
    return db.with(logged, moved, reset).select({ id: logged.id }).from(logged).prepare(name);
  });
  await statement.execute({ ...valuesOf("attempt", ATTEMPT_COLUMNS, attempt), ...valuesOf("changes", CHANGED_COLUMNS, changes) });
}

type SettledChanges = Pick<typeof deliveries.$inferInsert, "lastStatusCode" | "lastErrorClass" | "lastError"> & { nextAttemptAt?: Date };

const CHANGED_COLUMNS = ["nextAttemptAt", "lastStatusCode", "lastErrorClass", "lastError"] as const;

const ATTEMPT_COLUMNS = [
  "id", "deliveryId", "postbackId", "ownerOrgId", "recipientOrgId", "attemptNumber", "trigger", "method", "url", "requestHeaders",
  "requestBody", "responseStatus", "responseHeaders", "responseBody", "durationMs", "ok", "errorClass", "errorMessage",
] as const;

/** Dead-letters a delivery and counts it against its postback, pausing the postback after too many in a row. */
export async function markFailed(
  db: Database,
  delivery: Pick<Delivery, "id" | "postbackId">,
  last: { status?: number | null; errorClass?: OutgoingResult["errorClass"]; error: string },
  settings: Pick<DispatchSettings, "pauseAfterFailures">,
) {
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(deliveries)
      .set({ state: "failed", lastStatusCode: last.status ?? null, lastErrorClass: last.errorClass ?? null, lastError: last.error, updatedAt: sql`now()` })
      .where(and(eq(deliveries.id, delivery.id), eq(deliveries.state, "pending")))
      .returning({ id: deliveries.id });
    if (!updated) return;
    const [postback] = await tx
      .update(outgoingPostbacks)
      .set({ consecutiveFailures: sql`${outgoingPostbacks.consecutiveFailures} + 1` })
      .where(eq(outgoingPostbacks.id, delivery.postbackId))
      .returning({ consecutiveFailures: outgoingPostbacks.consecutiveFailures, pausedAt: outgoingPostbacks.pausedAt });
    if (postback && !postback.pausedAt && postback.consecutiveFailures >= settings.pauseAfterFailures) {
      await tx
        .update(outgoingPostbacks)
        .set({
          pausedAt: sql`now()`,
          pausedReason: `Paused after ${postback.consecutiveFailures} deliveries in a row failed (last: ${last.error}). Fix the receiver, then resume it.`,
        })
        .where(eq(outgoingPostbacks.id, delivery.postbackId));
    }
  });
}

/**
 * Puts a failed (or cancelled) delivery back in the queue with a fresh schedule. Only the
 * delivery's owner may replay it; another organization's id is "not found".
 */
export async function replayDelivery(db: Executor, ownerOrgId: string, deliveryId: string): Promise<Delivery> {
  const [row] = await db
    .update(deliveries)
    .set({ state: "pending", attempts: 0, replays: sql`${deliveries.replays} + 1`, nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(deliveries.id, deliveryId), eq(deliveries.ownerOrgId, ownerOrgId), sql`${deliveries.state} in ('failed', 'cancelled')`))
    .returning();
  if (row) return row;
  const [exists] = await db.select({ state: deliveries.state }).from(deliveries).where(and(eq(deliveries.id, deliveryId), eq(deliveries.ownerOrgId, ownerOrgId)));
  if (!exists) throw new AppError("not_found", "errors.notFound.delivery");
  throw new AppError("conflict", "errors.outgoing.onlyFailedReplay", { values: { state: exists.state } });
}


type AttemptInput = {
  delivery: Pick<Delivery, "id" | "postbackId" | "ownerOrgId" | "recipientOrgId"> | null;
  postback?: { id: string | null; ownerOrgId: string; recipientOrgId: string | null };
  attemptNumber: number;
  trigger: "initial" | "retry" | "replay" | "test";
  request: OutgoingRequest;
  result: OutgoingResult;
};

/** The attempt log row of one request, with secrets masked. */
function attemptRow<A extends AttemptInput>(attempt: A): typeof deliveryAttempts.$inferInsert & (A["delivery"] extends null ? unknown : { deliveryId: string; postbackId: string }) {
  const owner = attempt.delivery ?? { id: null, postbackId: attempt.postback!.id, ownerOrgId: attempt.postback!.ownerOrgId, recipientOrgId: attempt.postback!.recipientOrgId };
  return {
    id: createId("attempt"),
    deliveryId: owner.id,
    postbackId: owner.postbackId,
    ownerOrgId: owner.ownerOrgId,
    recipientOrgId: owner.recipientOrgId,
    attemptNumber: attempt.attemptNumber,
    trigger: attempt.trigger,
    method: attempt.request.method,
    url: maskUrl(attempt.request.url),
    requestHeaders: maskHeaders(attempt.request.headers),
    requestBody: attempt.request.body ?? null,
    responseStatus: attempt.result.status,
    responseHeaders: attempt.result.status === null ? null : attempt.result.headers,
    responseBody: attempt.result.body?.toWellFormed().replaceAll("\u0000", "\uFFFD") ?? null,
    durationMs: attempt.result.durationMs,
    ok: attempt.result.ok,
    errorClass: attempt.result.errorClass,
    errorMessage: attempt.result.errorMessage,
  } as never;
}

/** Logs one request (a Test, which belongs to no delivery); returns the attempt's id. */
export async function recordAttempt(db: Executor, attempt: AttemptInput) {
  const row = attemptRow(attempt);
  await db.insert(deliveryAttempts).values(row);
  return row.id!;
}
