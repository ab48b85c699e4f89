import { dispatchCommitted } from "@/lib/outgoing/dispatcher";
import { approveHeldConversion } from "@/lib/program/holds";
import { getDb } from "@/lib/platform/database";
import { inngest } from "../client";
import { conversionHeld, conversionHoldEnded } from "../events";

/**
 * Ends one hold: sleeps until its time, then approves the conversion through the same pipeline as
 * a merchant's approval. A rejection (or the network's approval) meanwhile cancels the run; if
 * that cancellation was lost, the approval step finds the conversion no longer held and does nothing.
 */
export const approveHeldConversionFunction = inngest.createFunction(
  {
    id: "approve-held-conversion",
    triggers: [conversionHeld],
    cancelOn: [{ event: conversionHoldEnded, match: "data.conversionId" }],
    retries: 10,
  },
  async ({ event, step }) => {
    await step.sleepUntil("wait-out-the-hold", new Date(event.data.until));
    const { approved, deliveries } = await step.run("approve", () => approveHeldConversion(getDb(), event.data.conversionId));
    await step.run("wake-deliveries", () => dispatchCommitted({ deliveries }));
    return { approved, deliveries: deliveries.length };
  },
);
