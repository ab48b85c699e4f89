import type { NextRequest } from "next/server";
import { inngestConfigured } from "@/inngest/mode";
import { inngestHandler } from "@/inngest/serve";
import { clientIp } from "@/lib/platform/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Without Inngest the embedded dispatcher runs the work in process, and this route does not exist.
const notConfigured = () => Response.json({ ok: false, error: { code: "not_found", message: "Inngest is not configured on this deployment." } }, { status: 404 });

export async function GET(request: NextRequest, context: unknown) {
  return inngestConfigured() ? inngestHandler.GET(request, context as never) : notConfigured();
}

export async function PUT(request: NextRequest, context: unknown) {
  return inngestConfigured() ? inngestHandler.PUT(request, context as never) : notConfigured();
}

/** The SDK verifies the signature of every call; a refused one is worth a line in the log. */
export async function POST(request: NextRequest, context: unknown) {
  if (!inngestConfigured()) return notConfigured();
  const response = await inngestHandler.POST(request, context as never);
  if (response.status === 401) {
    console.warn(`[postline] refused an Inngest call without a valid signature from ${clientIp(request) ?? "an unknown address"}`);
  }
  return response;
}
