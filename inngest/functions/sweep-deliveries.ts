import { getDb } from "@/db/client";
import { findOverdueDeliveries, sweepSettingsFromEnv } from "@/lib/deliveries";
import { inngest } from "../client";
import { deliveryRequested } from "../events";

/**
 * The safety net of the outbox: every minute, deliveries that sit pending past their time (a lost
 * event, a crash, a restart) are woken again. The event id carries the attempt count, so one
 * stuck attempt is re-emitted once, and the delivery's claim keeps a live run and a re-emit apart.
 */
export const sweepDeliveries = inngest.createFunction(
  { id: "sweep-deliveries", triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const { graceMs, batch } = sweepSettingsFromEnv();
    const overdue = await step.run("find-overdue", () => findOverdueDeliveries(getDb(), graceMs, batch));
    if (overdue.length > 0) {
      await step.sendEvent(
        "wake",
        overdue.map((d) => deliveryRequested.create({ deliveryId: d.id, host: d.destinationHost }, { id: `${d.id}:${d.attempts}:${d.replays}` })),
      );
    }
    return { woken: overdue.length };
  },
);
