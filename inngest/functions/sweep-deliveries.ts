import { findOverdueDeliveries, type OverdueCursor, sweepSettingsFromEnv } from "@/lib/outgoing/deliveries";
import { getDb } from "@/lib/platform/database";
import { dispatchCommitted } from "@/lib/outgoing/dispatcher";
import { approveHeldConversion, findDueHolds } from "@/lib/program/holds";
import { inngest } from "../client";
import { deliveryRequested } from "../events";

/**
 * The outbox's safety net: every minute, deliveries pending past their time (a lost event, a
 * crash) are woken again, page after page. The event id carries the attempt count, so one stuck
 * attempt is re-emitted once; the delivery's claim keeps a live run and a re-emit apart.
 */
export const sweepDeliveries = inngest.createFunction(
  { id: "sweep-deliveries", triggers: [{ cron: "* * * * *" }], concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const { graceMs, batch, maxBatches } = sweepSettingsFromEnv();
    let woken = 0;
    let after: OverdueCursor | null = null;
    for (let page = 0; page < maxBatches; page++) {
      // One step per page, so the run's state holds a cursor, not the ids.
      const cursor: OverdueCursor | null = after;
      const result = await step.run(`wake-overdue-${page}`, async () => {
        const overdue = await findOverdueDeliveries(getDb(), graceMs, batch, cursor ?? undefined);
        if (overdue.deliveries.length > 0) {
          await inngest.send(
            overdue.deliveries.map((d) => deliveryRequested.create({ deliveryId: d.id, host: d.destinationHost }, { id: `${d.id}:${d.attempts}:${d.replays}` })),
          );
        }
        return { woken: overdue.deliveries.length, next: overdue.next };
      });
      woken += result.woken;
      if (!result.next) break;
      after = result.next;
    }
    // The safety net of holds too: one whose scheduled end was lost is approved here.
    const holdsEnded = await step.run("end-due-holds", async () => {
      let ended = 0;
      for (const conversionId of await findDueHolds(getDb())) {
        const { approved, deliveries } = await approveHeldConversion(getDb(), conversionId);
        if (approved) ended++;
        await dispatchCommitted({ deliveries });
      }
      return ended;
    });
    return { woken, holdsEnded };
  },
);
