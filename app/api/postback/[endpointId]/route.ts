import { after } from "next/server";
import { getDb } from "@/db/client";
import { mode } from "@/inngest/client";
import { wakeDeliveries } from "@/inngest/dispatch";
import type { QueuedDelivery } from "@/lib/deliveries";
import { whileAnswering } from "@/lib/answering";
import { handleIncomingPostback } from "@/lib/incoming";
import { withMachinePathHeaders } from "@/lib/security-headers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ endpointId: string }> };

/**
 * The answer does not wait for the wake-up: the deliveries are already committed. A wake-up sent
 * to Inngest goes through after(), which holds a host that freezes a function once it has
 * answered (Vercel) until the event is sent. The embedded driver lives in this long-running
 * process and takes the wake-up in memory, so there it is handed over at once (after() cost 2% of
 * a postback's CPU). wakeDeliveries never rejects: a lost wake-up is the sweeper's.
 */
const wakeAfterAnswer: (queued: QueuedDelivery[]) => void =
  mode === "local" ? (queued) => void wakeDeliveries(queued) : (queued) => after(() => wakeDeliveries(queued));

async function handle(request: Request, context: Context) {
  const { endpointId } = await context.params;
  return withMachinePathHeaders(await whileAnswering(() => handleIncomingPostback(getDb(), request, endpointId, { afterCommit: wakeAfterAnswer })));
}

export const GET = handle;
export const POST = handle;
