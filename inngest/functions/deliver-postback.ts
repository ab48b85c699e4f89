import { RetryAfterError } from "inngest";
import { getDb } from "@/db/client";
import { attemptDelivery, dispatchSettingsFromEnv, markFailed } from "@/lib/delivery-attempts";
import { inngest } from "../client";
import { deliveryRequested } from "../events";

/** Deliveries to one destination host run at most this many at a time, so one slow tracker holds back no other. */
export const PER_HOST_CONCURRENCY = 10;

/**
 * Carries out one delivery. Each attempt is one execution of the function (no step: a step
 * would cost a second call per delivery for nothing to memoise): a failure throws a
 * RetryAfterError whose delay is the next entry of our schedule (not Inngest's default backoff);
 * after the last entry the attempt marks the delivery failed and returns. The delivery row
 * decides, so a duplicate run or a sweeper's re-emit never sends twice at once.
 */
export const deliverPostback = inngest.createFunction(
  {
    id: "deliver-postback",
    // More than the longest schedule (20 attempts): our schedule ends the run, not Inngest's count.
    retries: 20,
    concurrency: [{ key: "event.data.host", limit: PER_HOST_CONCURRENCY }],
    triggers: [deliveryRequested],
    onFailure: async ({ event, error }) => {
      const { deliveryId } = event.data.event.data as { deliveryId: string };
      const db = getDb();
      const settings = dispatchSettingsFromEnv();
      const [row] = await db.query.deliveries.findMany({ where: (d, { eq }) => eq(d.id, deliveryId), columns: { id: true, postbackId: true }, limit: 1 });
      if (row) await markFailed(db, row, { error: `dispatch failed: ${error.message}` }, settings);
    },
  },
  async ({ event }) => {
    const outcome = await attemptDelivery(getDb(), event.data.deliveryId, dispatchSettingsFromEnv());
    if (outcome.outcome === "retry") {
      // A date, not a duration: Inngest rounds durations up to whole seconds.
      throw new RetryAfterError(`attempt ${outcome.attempt} failed: ${outcome.error}`, new Date(Date.now() + outcome.retryInMs));
    }
    return outcome;
  },
);
