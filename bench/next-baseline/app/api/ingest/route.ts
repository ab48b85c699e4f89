import { writePostback } from "../../../../baseline-writes.mjs";
import { sql } from "../../../db";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  await writePostback(sql, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json({ ok: true, result: "accepted" });
}
