import { dispatchCommitted } from "@/lib/outgoing/dispatcher";
import { approveHeldConversion } from "@/lib/program/holds";
import { getDb } from "@/lib/platform/database";
import { inngest } from "../client";
import { conversionHeld } from "../events";

/**
 * Ends one hold: sleeps until its time, then approves the conversion through the same pipeline as
 * a merchant's approval. A conversion rejected meanwhile is no longer held, and the approval
 * step finds nothing to do: the rejection is what cancels the hold.
 */
export const approveHeldConversionFunction = inngest.createFunction(
  { id: "approve-held-conversion", triggers: [conversionHeld], retries: 10 },
  async ({ event, step }) => {
    await step.sleepUntil("wait-out-the-hold", new Date(event.data.until));
    const { approved, deliveries } = await step.run("approve", () => approveHeldConversion(getDb(), event.data.conversionId));
    await step.run("wake-deliveries", () => dispatchCommitted({ deliveries }));
    return { approved, deliveries: deliveries.length };
  },
);
