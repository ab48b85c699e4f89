import { getDb } from "@/lib/platform/database";
import { whileAnswering } from "@/lib/platform/answering";
import { handleClick } from "@/lib/tracking/clicks";
import { withMachinePathHeaders } from "@/lib/platform/security-headers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ code: string }> };

async function handle(request: Request, context: Context) {
  const { code } = await context.params;
  return withMachinePathHeaders(await whileAnswering(() => handleClick(getDb(), request, code)));
}

export const GET = handle;
export const HEAD = handle;
