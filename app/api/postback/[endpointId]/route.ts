import { after } from "next/server";
import { getDb } from "@/db/client";
import { wakeDeliveries } from "@/inngest/dispatch";
import type { QueuedDelivery } from "@/lib/deliveries";
import { onServerlessHost } from "@/lib/env";
import { handleIncomingPostback } from "@/lib/incoming";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ endpointId: string }> };

/**
 * The answer does not wait for the wake-up: the deliveries are already committed. A serverless
 * host may freeze the function once it has answered, so there after() holds it until the wake-up
 * is sent; a long-running server outlives the answer and sends it at once (after() cost 2% of
 * a postback's CPU).
 */
const wakeAfterAnswer: (queued: QueuedDelivery[]) => void = onServerlessHost()
  ? (queued) => after(() => wakeDeliveries(queued))
  : (queued) => void wakeDeliveries(queued);

async function handle(request: Request, context: Context) {
  const { endpointId } = await context.params;
  return handleIncomingPostback(getDb(), request, endpointId, { afterCommit: wakeAfterAnswer });
}

export const GET = handle;
export const POST = handle;
