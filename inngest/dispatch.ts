import type { QueuedDelivery } from "@/lib/deliveries";
import { inngest, sendToLocalDriver } from "./client";
import { deliveryRequested } from "./events";

/**
 * Wakes the dispatcher for deliveries that were just committed. A failure here loses nothing: the
 * rows are pending in the outbox and the sweeper wakes them, so it is logged, not thrown.
 * The event id is the delivery id (Inngest drops a second send of it); a later wake of the same
 * delivery, such as a replay, names itself in `cause` so that it is not dropped as a duplicate.
 */
export async function wakeDeliveries(queued: QueuedDelivery[], cause?: string): Promise<void> {
  if (queued.length === 0) return;
  try {
    const events = queued.map((d) => ({ name: deliveryRequested.name, data: { deliveryId: d.id, host: d.host }, id: cause ? `${d.id}:${cause}` : d.id }));
    if (sendToLocalDriver(events)) return;
    await inngest.send(events.map(({ data, id }) => deliveryRequested.create(data, { id })));
  } catch (error) {
    console.error(`[postline] could not wake ${queued.length} deliveries now; the sweeper will`, error);
  }
}
