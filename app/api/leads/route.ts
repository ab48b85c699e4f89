import { after } from "next/server";
import { getDb } from "@/lib/platform/database";
import { dispatchCommitted } from "@/lib/outgoing/dispatcher";
import { whileAnswering } from "@/lib/platform/answering";
import { handleLeadSubmission } from "@/lib/incoming/leads";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  return whileAnswering(() => handleLeadSubmission(getDb(), request, { afterCommit: (committed) => after(() => dispatchCommitted(committed)) }));
}
