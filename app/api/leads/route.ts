import { after } from "next/server";
import { getDb } from "@/db/client";
import { wakeDeliveries } from "@/inngest/dispatch";
import { whileAnswering } from "@/lib/answering";
import { handleLeadSubmission } from "@/lib/leads";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  return whileAnswering(() => handleLeadSubmission(getDb(), request, { afterCommit: (queued) => after(() => wakeDeliveries(queued)) }));
}
