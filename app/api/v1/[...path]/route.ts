import { after } from "next/server";
import { handleApiRequest } from "@/lib/api/handle";
import { API_ROUTES } from "@/lib/api/operations";
import { getDb } from "@/lib/platform/database";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The management API: one router over the operations that also make its OpenAPI document. */
function answer(request: Request) {
  return handleApiRequest(getDb(), API_ROUTES, request, { after });
}

export { answer as GET, answer as POST, answer as PATCH, answer as DELETE, answer as PUT };
