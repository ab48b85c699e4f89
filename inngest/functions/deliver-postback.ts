import { RetryAfterError } from "inngest";
import { attemptDelivery, dispatchSettingsFromEnv, markFailed } from "@/lib/outgoing/delivery-attempts";
import { PER_HOST_CONCURRENCY } from "@/lib/outgoing/embedded-dispatcher";
import { getDb } from "@/lib/platform/database";
import { inngest } from "../client";
import { deliveryRequested } from "../events";

/**
 * Carries out one delivery, one attempt per execution: a failure throws a RetryAfterError whose
 * delay is the next entry of our schedule (not Inngest's backoff); after the last entry the attempt
 * marks the delivery failed and returns. The delivery's claim makes a duplicate run a no-op.
 */
export const deliverPostback = inngest.createFunction(
  {
    id: "deliver-postback",
    // More than the longest schedule: our schedule ends the run, not Inngest's count.
    retries: 20,
    concurrency: [{ key: "event.data.host", limit: PER_HOST_CONCURRENCY }],
    triggers: [deliveryRequested],
    onFailure: async ({ event, error }) => {
      const { deliveryId } = event.data.event.data as { deliveryId: string };
      const db = getDb();
      const [row] = await db.query.deliveries.findMany({ where: (d, { eq }) => eq(d.id, deliveryId), columns: { id: true, postbackId: true }, limit: 1 });
      if (row) await markFailed(db, row, { error: `dispatch failed: ${error.message}` }, dispatchSettingsFromEnv());
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
