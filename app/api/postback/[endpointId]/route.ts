import { getDb } from "@/db/client";
import { handleIncomingPostback } from "@/lib/incoming";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ endpointId: string }> };

async function handle(request: Request, context: Context) {
  const { endpointId } = await context.params;
  return handleIncomingPostback(getDb(), request, endpointId);
}

export const GET = handle;
export const POST = handle;
