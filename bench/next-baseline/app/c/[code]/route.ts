import { writeClick } from "../../../../baseline-writes.mjs";
import { sql } from "../../../db";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const url = new URL(request.url);
  const location = await writeClick(sql, code, url.searchParams.get("sub1"), request.headers.get("x-forwarded-for"));
  return new Response(null, { status: 302, headers: { location } });
}
