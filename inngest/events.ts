import { eventType } from "inngest";
import { z } from "zod";

/**
 * Wakes the dispatcher for one delivery. The delivery row is the record; this event only says
 * "look at it now". Sent with the delivery id as the event id, so Inngest drops duplicates.
 */
export const deliveryRequested = eventType("postline/delivery.requested", {
  schema: z.object({ deliveryId: z.string(), host: z.string() }),
});
