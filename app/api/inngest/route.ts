import type { NextRequest } from "next/server";
import { inngestHandler } from "@/inngest/serve";
import { clientIp } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const { GET, PUT } = inngestHandler;

/** The SDK verifies the signature of every call (in production); a refused one is worth a line in the log. */
export async function POST(request: NextRequest, context: unknown) {
  const response = await inngestHandler.POST(request, context as never);
  if (response.status === 401) {
    console.warn(`[postline] refused an Inngest call without a valid signature from ${clientIp(request) ?? "an unknown address"}`);
  }
  return response;
}
