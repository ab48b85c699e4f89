import { openApiDocument } from "@/lib/api/openapi";
import { API_OPERATIONS } from "@/lib/api/operations";
import { jsonResponse } from "@/lib/platform/http";
import { requestOrigin } from "@/lib/platform/request-url";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  return jsonResponse(200, openApiDocument(API_OPERATIONS, await requestOrigin()), { "access-control-allow-origin": "*" });
}
