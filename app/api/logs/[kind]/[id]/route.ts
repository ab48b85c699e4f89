import { getDb } from "@/lib/platform/database";
import { AppError } from "@/lib/platform/errors";
import { jsonResponse } from "@/lib/platform/http";
import { getDeliveryDetail, getIncomingDetail } from "@/lib/reports/logs";
import { withUser } from "@/lib/platform/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One log row in full (a delivery with all its attempts); another organization's id is a 404. */
export const GET = withUser("logs:read", async (_request, user, { params }: { params: Promise<{ kind: string; id: string }> }) => {
  const { kind, id } = await params;
  const detail = kind === "outgoing" ? await getDeliveryDetail(getDb(), user, id) : kind === "incoming" ? await getIncomingDetail(getDb(), user, id) : null;
  if (!detail) throw new AppError("not_found");
  return jsonResponse(200, detail);
});
