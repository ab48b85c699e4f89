import { after } from "next/server";
import { getDb } from "@/lib/platform/database";
import { type Committed, dispatchCommitted } from "@/lib/outgoing/dispatcher";
import { whileAnswering } from "@/lib/platform/answering";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { withMachinePathHeaders } from "@/lib/platform/security-headers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ endpointId: string }> };

/** The answer does not wait for the dispatcher: the deliveries are already committed. */
const dispatchAfterAnswer = (committed: Committed) => after(() => dispatchCommitted(committed));

async function handle(request: Request, context: Context) {
  const { endpointId } = await context.params;
  return withMachinePathHeaders(await whileAnswering(() => handleIncomingPostback(getDb(), request, endpointId, { afterCommit: dispatchAfterAnswer })));
}

export const GET = handle;
export const POST = handle;
