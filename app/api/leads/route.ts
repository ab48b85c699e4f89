import { getDb } from "@/db/client";
import { handleLeadSubmission } from "@/lib/leads";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  return handleLeadSubmission(getDb(), request);
}
