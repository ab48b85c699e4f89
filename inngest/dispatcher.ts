import type { Dispatcher } from "@/lib/outgoing/dispatcher";
import { inngest } from "./client";
import { conversionHeld, conversionHoldEnded, deliveryRequested } from "./events";

/**
 * Dispatch through Inngest: one event per delivery, its id the delivery id, so Inngest drops a
 * second send of it; a later wake of the same delivery (a replay) names its cause in the id.
 */
export function createInngestDispatcher(): Dispatcher {
  return {
    kind: "inngest",
    async wake(deliveries, cause) {
      await inngest.send(deliveries.map((d) => deliveryRequested.create({ deliveryId: d.id, host: d.host }, { id: cause ? `${d.id}:${cause}` : d.id })));
    },
    async scheduleHold(hold) {
      await inngest.send(conversionHeld.create({ conversionId: hold.conversionId, until: hold.until.toISOString() }, { id: `hold:${hold.conversionId}` }));
    },
    async cancelHolds(conversionIds) {
      await inngest.send(conversionIds.map((conversionId) => conversionHoldEnded.create({ conversionId }, { id: `hold-ended:${conversionId}` })));
    },
    stop() {},
  };
}
