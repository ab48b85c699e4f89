import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { incomingPostbackLog } from "@/db/schema";
import { handleIncomingPostback, INCOMING_ERROR_CODES } from "@/lib/incoming/incoming";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, type World } from "../helpers/world";

let handle: DatabaseHandle;
let world: World;
let realClick: string;
beforeAll(async () => {
  handle = await createTestDatabase();
  world = await createWorld(handle.db);
  realClick = await world.click();
});
afterAll(() => handle.close());

/** A small seeded generator, so a failing case can be replayed from the printed seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(items: readonly T[]) => items[int(items.length)];
  return { next, int, pick };
}

const NASTY_VALUES = [
  "", " ", "0", "-1", "1e309", "NaN", "Infinity", "12,50", "1.23456", "99999999999999", "null", "undefined", "true", "[]", "{}",
  "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "\u0000", "\u0001\u0002", "😀🔥", "Ω≈ç√∫", "\uD800",
  "a".repeat(129), "b".repeat(5000), "clk_" + "x".repeat(200), "%E0%A4%A", "sale", "SALE", "ping", "approved", "rejected", "USD", "usd1",
];
const KEYS = ["click_id", "clickid", "cid", "subid", "transaction_id", "txid", "tid", "order_id", "status", "payout", "revenue", "sale_amount", "amount", "currency", "token", "signature", "timestamp", "x", "ключ", "🔑", "", "a b", "__proto__", "constructor"];
const CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain", "application/xml", "multipart/form-data; boundary=x", "", "application/json; charset=latin1"];

function randomRequest(rand: ReturnType<typeof generator>): Request {
  const endpointId = rand.next() < 0.9 ? world.endpointId : rand.pick(["end_nope", "", "%00", "x".repeat(300), "end_' OR 1=1"]);
  const params = new URLSearchParams();
  const fields = rand.int(6);
  if (rand.next() < 0.85) params.append("token", rand.next() < 0.9 ? world.secret : rand.pick(NASTY_VALUES));
  if (rand.next() < 0.5) params.append(rand.pick(["click_id", "cid", "subid"]), rand.next() < 0.4 ? realClick : rand.pick(NASTY_VALUES));
  for (let i = 0; i < fields; i++) params.append(rand.pick(KEYS), rand.pick(NASTY_VALUES));
  const url = `http://postline.test/api/postback/${encodeURIComponent(endpointId)}?${rand.next() < 0.1 ? "%%zz&=&&=x&" : ""}${params}`;
  const headers: Record<string, string> = { "x-forwarded-for": rand.pick(["203.0.113.9", "::1", "garbage", "1.2.3.4, 5.6.7.8"]) };
  if (rand.next() < 0.5) return new Request(url, { headers });

  const type = rand.pick(CONTENT_TYPES);
  if (type) headers["content-type"] = type;
  const bodies: (() => BodyInit)[] = [
    () => JSON.stringify(Object.fromEntries([...params].map(([k, v]) => [k, rand.next() < 0.2 ? rand.int(1e9) : v]))),
    () => JSON.stringify([1, 2, 3]),
    () => JSON.stringify({ click_id: { $gt: "" }, payout: [1] }),
    () => "{\"click_id\": ",
    () => params.toString(),
    () => new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0x80]),
    () => "z".repeat(17_000 + rand.int(50_000)),
    () => "",
    () => JSON.stringify({ click_id: realClick, token: world.secret, payout: rand.pick(NASTY_VALUES), currency: rand.pick(NASTY_VALUES) }),
  ];
  return new Request(url, { method: "POST", headers, body: rand.pick(bodies)() });
}

describe(`incoming endpoint fuzz on ${testDriver}`, () => {
  it("answers 2,000 malformed requests with documented codes, never a 5xx, and logs each one", async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const rand = generator(seed);
    const [{ before }] = await handle.db.select({ before: count() }).from(incomingPostbackLog);
    const seen = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const request = randomRequest(rand);
      const endpointId = decodeURIComponent(new URL(request.url).pathname.split("/").at(-1) ?? "");
      const response = await handleIncomingPostback(handle.db, request, endpointId);
      const body = await response.json();
      const context = `seed ${seed}, request ${i}: ${request.method} ${request.url.slice(0, 200)} → ${response.status} ${JSON.stringify(body).slice(0, 200)}`;
      expect(response.status, context).toBeLessThan(500);
      if (response.status === 200) {
        expect(body.ok, context).toBe(true);
        expect(["accepted", "duplicate", "ignored"], context).toContain(body.result);
      } else {
        expect(body.ok, context).toBe(false);
        const code = body.error.code as keyof typeof INCOMING_ERROR_CODES;
        expect(INCOMING_ERROR_CODES[code], context).toBe(response.status);
        expect(body.error.message.length, context).toBeGreaterThan(0);
        seen.set(code, (seen.get(code) ?? 0) + 1);
      }
    }
    const [{ after }] = await handle.db.select({ after: count() }).from(incomingPostbackLog);
    expect(after - before).toBe(2000);
    const [{ rejected }] = await handle.db.select({ rejected: count() }).from(incomingPostbackLog).where(eq(incomingPostbackLog.result, "rejected"));
    expect(rejected).toBe([...seen.values()].reduce((a, b) => a + b, 0));
    // The generator reaches deep into the endpoint, not only its front door.
    for (const code of ["unknown_endpoint", "missing_token", "invalid_token", "missing_parameter", "invalid_parameter", "body_too_large", "malformed_body"]) {
      expect(seen.get(code) ?? 0, `${code} (seed ${seed})`).toBeGreaterThan(0);
    }
  }, 120_000);
});
