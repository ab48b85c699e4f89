// The writes both baselines make, shared so that they measure the same work.
import { randomBytes } from "node:crypto";

/** One transaction: the conversion upserted on its transaction id, then a log row. */
export async function writePostback(sql, params) {
  await sql.begin(async (tx) => {
    const [conversion] = await tx`
      INSERT INTO bench_conversions (txid, click_id, status, payout) VALUES (${params.txid}, ${params.click_id ?? ""}, ${params.status ?? "approved"}, ${params.payout ?? "1"})
      ON CONFLICT (txid) DO UPDATE SET updated_at = now() RETURNING id`;
    await tx`INSERT INTO bench_log (conversion_id, params) VALUES (${conversion.id}, ${tx.json(params)})`;
  });
}

/** One insert, and the landing URL with the click id. */
export async function writeClick(sql, code, sub1, ip) {
  const id = `clk_${randomBytes(16).toString("base64url")}`;
  await sql`INSERT INTO bench_clicks (id, code, sub1, ip) VALUES (${id}, ${code}, ${sub1}, ${ip})`;
  return `https://shop.example.com/landing?click_id=${id}&sub1=${encodeURIComponent(sub1 ?? "")}`;
}
