import { eventType } from "inngest";
import { z } from "zod";

/**
 * Wakes the dispatcher for one delivery. The delivery row is the record; this event only says
 * "look at it now". Sent with the delivery id as the event id, so Inngest drops duplicates.
 */
export const deliveryRequested = eventType("postline/delivery.requested", {
  schema: z.object({ deliveryId: z.string(), host: z.string() }),
});

/** A conversion waits out its hold period until `until`; then it is approved unless rejected first. */
export const conversionHeld = eventType("postline/conversion.held", {
  schema: z.object({ conversionId: z.string(), until: z.string() }),
});

/** A hold ended before its time (rejected, or approved by the network): cancels its waiting run. */
export const conversionHoldEnded = eventType("postline/conversion.hold-ended", {
  schema: z.object({ conversionId: z.string() }),
});
