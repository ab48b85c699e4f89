import { after } from "next/server";
import { getDb } from "@/db/client";
import { wakeDeliveries } from "@/inngest/dispatch";
import { handleIncomingPostback } from "@/lib/incoming";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ endpointId: string }> };

async function handle(request: Request, context: Context) {
  const { endpointId } = await context.params;
  return handleIncomingPostback(getDb(), request, endpointId, {
    // The answer does not wait for the wake-up: the deliveries are already committed.
    afterCommit: (queued) => after(() => wakeDeliveries(queued)),
  });
}

export const GET = handle;
export const POST = handle;
