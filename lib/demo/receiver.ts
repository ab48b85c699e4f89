import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { demoReceipts, organizations } from "@/db/schema";
import { AppError, toAppError } from "@/lib/platform/errors";
import { errorResponse, jsonResponse, readRequestParams } from "@/lib/platform/http";
import { createId } from "@/lib/platform/ids";
import { consumeRateLimit } from "@/lib/platform/rate-limit";
import type { OutgoingRequest, OutgoingResult } from "@/lib/outgoing/outgoing-http";
import { maskHeaders, maskUrl } from "@/lib/outgoing/postback-render";

/**
 * The demo receiver: a stand-in tracker inside Postline, so the demo's first relay lands and shows.
 *
 * A postback to `https://demo-receiver.invalid/<inbox>` is answered here, in the process, without a
 * request on the network: `.invalid` is a name DNS never resolves (RFC 6761), so no real host can
 * be confused with it, and the SSRF guard is neither asked nor loosened: every other URL goes
 * through it as before. From outside, `/api/demo-receiver/<inbox>` records the same way.
 */
export const DEMO_RECEIVER_HOST = "demo-receiver.invalid";
export const KEPT_PER_INBOX = 100;

export function demoReceiverUrl(inbox: string): string {
  return `https://${DEMO_RECEIVER_HOST}/${inbox}`;
}

/** The inbox a URL addresses when it points at the demo receiver; null for any other URL. */
export function demoReceiverInbox(rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.hostname !== DEMO_RECEIVER_HOST || url.username || url.port) return null;
  return decodeURIComponent(url.pathname.split("/")[1] ?? "");
}

export type DemoRequest = { inbox: string; method: string; url: string; headers: Record<string, string>; body: string | null; via: "in-process" | "http" };

/**
 * Records one request in its inbox and keeps the inbox's last 100; null when no organization has
 * this inbox (nothing is written).
 */
export async function recordDemoReceipt(db: Executor, request: DemoRequest): Promise<string | null> {
  // Organizations are never deleted: an inbox that exists now still does at the insert.
  const [owner] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, request.inbox));
  if (!owner) return null;
  const [row] = await db
    .insert(demoReceipts)
    .values({ id: createId("demoReceipt"), inbox: owner.id, method: request.method, url: maskUrl(request.url), headers: maskHeaders(request.headers), body: request.body, via: request.via })
    .returning({ id: demoReceipts.id });
  const oldestKept = db.select({ seq: demoReceipts.seq }).from(demoReceipts).where(eq(demoReceipts.inbox, owner.id)).orderBy(desc(demoReceipts.seq)).offset(KEPT_PER_INBOX - 1).limit(1);
  await db.delete(demoReceipts).where(and(eq(demoReceipts.inbox, owner.id), lt(demoReceipts.seq, sql`(${oldestKept})`)));
  return row.id;
}

/** The demo receiver's answer, as the route gives it and as an in-process delivery gets it. */
export function demoReceiverAnswer(receiptId: string | null): { status: number; body: unknown } {
  return receiptId
    ? { status: 200, body: { ok: true, received: receiptId } }
    : { status: 404, body: { ok: false, error: { code: "not_found", message: "No demo receiver has this inbox." } } };
}

/** A delivery to the demo receiver, answered in the process: recorded, and answered as the route would. */
export async function sendToDemoReceiver(db: Executor, request: OutgoingRequest, inbox: string): Promise<OutgoingResult> {
  const started = performance.now();
  const receipt = await recordDemoReceipt(db, { inbox, method: request.method, url: request.url, headers: request.headers, body: request.body ?? null, via: "in-process" });
  const answer = demoReceiverAnswer(receipt);
  const ok = answer.status === 200;
  return {
    ok,
    status: answer.status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(answer.body),
    durationMs: Math.round(performance.now() - started),
    errorClass: ok ? null : "non_2xx",
    errorMessage: ok ? null : `The demo receiver answered ${answer.status}.`,
  };
}

const MAX_BODY_BYTES = 16 * 1024;
const PER_MINUTE = 120;

/** `GET|POST /api/demo-receiver/<inbox>`: records the request and answers 200, as a tracker would. */
export async function receiveDemoRequest(db: Database, request: Request, inbox: string): Promise<Response> {
  try {
    if (!(await consumeRateLimit(db, `demo-receiver:${inbox}`, PER_MINUTE)).allowed) throw new AppError("rate_limited");
    const { rawBody } = await readRequestParams(request, MAX_BODY_BYTES);
    const receipt = await recordDemoReceipt(db, { inbox, method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body: rawBody || null, via: "http" });
    const answer = demoReceiverAnswer(receipt);
    return jsonResponse(answer.status, answer.body);
  } catch (error) {
    return errorResponse(toAppError(error));
  }
}

export function listDemoReceipts(db: Executor, inbox: string, limit = KEPT_PER_INBOX) {
  return db.select().from(demoReceipts).where(eq(demoReceipts.inbox, inbox)).orderBy(desc(demoReceipts.seq)).limit(limit);
}
