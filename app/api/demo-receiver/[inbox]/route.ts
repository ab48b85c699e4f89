import { receiveDemoRequest } from "@/lib/demo/receiver";
import { getDb } from "@/lib/platform/database";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ inbox: string }> };

/** The demo receiver from outside: any GET or POST to an organization's inbox is recorded and answered 200. */
async function handle(request: Request, context: Context) {
  const { inbox } = await context.params;
  return receiveDemoRequest(getDb(), request, inbox);
}

export const GET = handle;
export const POST = handle;
