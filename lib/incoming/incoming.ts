import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type IncomingEndpoint, incomingEndpoints, incomingPostbackLog } from "@/db/schema";
import { type ConversionOutcome, convertClick, type OutcomeSummary } from "@/lib/conversions/conversions";
import type { Committed } from "@/lib/outgoing/dispatcher";
import { AppError, describeForLog, toAppError } from "@/lib/platform/errors";
import { clientIp, errorResponse, jsonResponse, readRequestParams, requestLocale } from "@/lib/platform/http";
import { createId } from "@/lib/platform/ids";
import { assertClickIdWellFormed, type IncomingInput, paramsForLog, parseIncomingParams, pickParameter, storableText } from "./incoming-params";
import { ipInList } from "./ip-allow-list";
import { consumeRateLimit } from "@/lib/platform/rate-limit";
import { secretMatches } from "@/lib/access/secrets";
import { mapStatusWord } from "@/lib/conversions/statuses";

export const INCOMING_MAX_BODY_BYTES = 16 * 1024;
/** A signed request's timestamp may be this far from our clock (replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

type LogDraft = {
  id: string;
  endpointId: string | null;
  networkId: string | null;
  merchantId: string | null;
  method: string;
  params: Record<string, string>;
  sourceIp: string | null;
  started: number;
};

/**
 * The incoming postback endpoint, framework-free: a standard Request in, a JSON Response out.
 * Every request leaves a log row. An accepted change, its event, its log row and its deliveries
 * commit in one transaction before the answer (the durability rule).
 */
export async function handleIncomingPostback(
  db: Database,
  request: Request,
  endpointId: string,
  hooks: { afterCommit?: (committed: Committed) => void } = {},
): Promise<Response> {
  const draft: LogDraft = {
    id: createId("incomingLog"),
    endpointId: null,
    networkId: null,
    merchantId: null,
    method: request.method,
    params: {},
    sourceIp: clientIp(request),
    started: performance.now(),
  };
  try {
    const endpoint = await loadEndpoint(db, endpointId);
    if (!endpoint) {
      throw new AppError("not_found", "errors.incoming.unknownEndpoint", { detailCode: "unknown_endpoint" });
    }
    Object.assign(draft, { endpointId: endpoint.id, networkId: endpoint.networkId, merchantId: endpoint.merchantId });

    const limit = await consumeRateLimit(db, `incoming:${endpoint.id}:${draft.sourceIp ?? "unknown"}`, endpoint.rateLimitPerMinute);
    if (!limit.allowed) {
      throw new AppError("rate_limited", "errors.incoming.rateLimited", {
        values: { limit: limit.limit },
        detailCode: "rate_limited",
      });
    }
    const read = await readRequestParams(request, INCOMING_MAX_BODY_BYTES);
    draft.params = paramsForLog(read.params);
    authenticate(endpoint, request, read, draft.sourceIp);
    const input = parseIncomingParams(read.params);

    const outcome = await applyMerchantPostback(db, endpoint, input, draft);
    hooks.afterCommit?.(outcome);
    return jsonResponse(200, {
      ok: true,
      result: outcome.result,
      conversion_id: outcome.conversion?.id ?? null,
      status: outcome.conversion?.status ?? null,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
    });
  } catch (caught) {
    const error = toAppError(caught);
    try {
      await db.insert(incomingPostbackLog).values(logRow(draft, error.status, { error }));
    } catch (logError) {
      console.error("[postline] could not log an incoming postback", describeForLog(logError));
    }
    return errorResponse(error, requestLocale(request));
  }
}

/** Looks up the click, maps the status, and applies the change; the log row commits with it. */
async function applyMerchantPostback(db: Database, endpoint: EndpointRecord, input: IncomingInput, draft: LogDraft): Promise<ConversionOutcome> {
  const target = input.statusWord === undefined ? endpoint.defaultStatus : mapStatusWord(input.statusWord, endpoint.statusMap);
  if (target === undefined) {
    throw new AppError("invalid_input", "errors.incoming.unknownStatus", {
      values: { status: input.statusWord ?? "" },
      field: "status",
      detailCode: "unknown_status",
    });
  }
  if (target === "ignore") {
    const ignored = { result: "ignored", conversion: null, reason: `The status "${input.statusWord}" is ignored by this endpoint.` } as const;
    await db.insert(incomingPostbackLog).values(logRow(draft, 200, ignored, input));
    return { ...ignored, deliveries: [] };
  }

  // The currency of the merchant's amounts: convertClick puts them in the offer's (inOfferCurrency).
  const outcome = await convertClick(db, {
    request: {
      clickId: input.clickId,
      // A click of another merchant's offer is as unknown as a click that never happened.
      owner: { merchantId: endpoint.merchantId, networkId: endpoint.networkId },
      ids: { transactionId: input.transactionId },
      transactionId: input.transactionId,
      goalKey: input.goalKey,
      status: target,
      payout: input.payout,
      revenue: input.revenue,
      saleAmount: input.saleAmount,
      currency: input.currency,
      details: input.details,
    },
    context: { source: "incoming_postback", originalStatus: input.statusWord ?? null, incomingLogId: draft.id },
    amountsFromPostback: endpoint.amountsFromPostback,
    companion: { table: incomingPostbackLog, values: (outcome) => logRow(draft, 200, outcome, input) },
  });
  if (!outcome) throw new AppError("not_found", "errors.incoming.unknownClick", { field: "click_id", detailCode: "unknown_click" });
  return outcome;
}

function authenticate(endpoint: EndpointRecord, request: Request, read: { params: Record<string, string>; rawBody: string; rawQuery: string }, ip: string | null) {
  if (endpoint.ipAllowList.length > 0 && !ipInList(ip, endpoint.ipAllowList)) {
    throw new AppError("forbidden", ip ? "errors.incoming.ipNotAllowed" : "errors.incoming.unknownIpNotAllowed", { detailCode: "ip_not_allowed", values: { ip: ip ?? "" } });
  }
  const bearer = request.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
  const token = read.params.token ?? request.headers.get("x-postline-token") ?? bearer;
  if (!token) throw new AppError("unauthenticated", "errors.incoming.missingToken", { detailCode: "missing_token" });
  if (!secretMatches(token, endpoint.secretHash)) {
    throw new AppError("unauthenticated", "errors.incoming.invalidToken", { detailCode: "invalid_token" });
  }
  if (endpoint.signingSecret) verifySignature(endpoint.signingSecret, request, read);
}

/**
 * HMAC-SHA256, hex, over `<timestamp>.<payload>`: the raw body for POST, the raw query string
 * without its `signature` parameter for GET. Timestamp and signature come in the
 * X-Postline-Timestamp / X-Postline-Signature headers or the `timestamp` / `signature` parameters.
 */
export function signIncomingPayload(secret: string, timestamp: number | string, payload: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
}

function verifySignature(secret: string, request: Request, read: { params: Record<string, string>; rawBody: string; rawQuery: string }) {
  const timestamp = request.headers.get("x-postline-timestamp") ?? read.params.timestamp;
  const given = (request.headers.get("x-postline-signature") ?? read.params.signature)?.replace(/^sha256=/i, "");
  if (!timestamp || !given) {
    throw new AppError("unauthenticated", "errors.incoming.missingSignature", { detailCode: "missing_signature" });
  }
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(Date.now() / 1000 - seconds) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new AppError("unauthenticated", "errors.incoming.staleSignature", { detailCode: "invalid_signature", values: { seconds: SIGNATURE_TOLERANCE_SECONDS } });
  }
  const payload = request.method === "GET" ? queryWithoutSignature(read.rawQuery) : read.rawBody;
  const expected = Buffer.from(signIncomingPayload(secret, timestamp, payload), "hex");
  const actual = Buffer.from(given, "hex");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new AppError("unauthenticated", "errors.incoming.invalidSignature", { detailCode: "invalid_signature" });
  }
}

function queryWithoutSignature(rawQuery: string): string {
  return rawQuery
    .split("&")
    .filter((part) => part.split("=")[0] !== "signature")
    .join("&");
}

/** The request's log row: one per request, whatever became of it. */
function logRow(draft: LogDraft, httpStatus: number, outcome: OutcomeSummary | { error: AppError }, input?: IncomingInput): typeof incomingPostbackLog.$inferInsert {
  const error = "error" in outcome ? outcome.error : null;
  const summary = "error" in outcome ? null : outcome;
  return {
    id: draft.id,
    endpointId: draft.endpointId,
    networkId: draft.networkId,
    merchantId: draft.merchantId,
    method: draft.method.slice(0, 10),
    params: draft.params,
    sourceIp: draft.sourceIp?.slice(0, 64) ?? null,
    result: summary ? summary.result : "rejected",
    httpStatus,
    errorCode: error ? error.toBody().code : null,
    message: storableText(error ? error.message : (summary?.reason ?? "")) || null,
    conversionId: summary?.conversion?.id ?? null,
    clickId: input?.clickId ?? namedClickId(draft.params),
    transactionId: input?.transactionId ?? null,
    status: summary?.conversion?.status ?? null,
    originalStatus: input?.statusWord ?? null,
    durationMs: Math.round(performance.now() - draft.started),
  };
}

/**
 * The click a refused request named, when it named one well-formed: the conversion's timeline shows
 * the refusal (a wrong token, an unknown status word) beside what was accepted.
 */
function namedClickId(params: Record<string, string>): string | null {
  try {
    const clickId = pickParameter(params, "click_id");
    if (clickId === undefined) return null;
    assertClickIdWellFormed(clickId);
    return clickId;
  } catch {
    return null;
  }
}

type EndpointRecord = Pick<
  IncomingEndpoint,
  "id" | "networkId" | "merchantId" | "secretHash" | "ipAllowList" | "statusMap" | "defaultStatus" | "signingSecret" | "rateLimitPerMinute" | "amountsFromPostback"
>;

// A few seconds of caching spares the hot path a lookup per request; a rotated secret or a
// changed allow-list takes effect within ENDPOINT_CACHE_MS on every instance.
const ENDPOINT_CACHE_MS = 5_000;
const endpointCache = new Map<string, { value: EndpointRecord | null; expires: number }>();

async function loadEndpoint(db: Database, endpointId: string): Promise<EndpointRecord | null> {
  const cached = endpointCache.get(endpointId);
  if (cached && cached.expires > Date.now()) return cached.value;
  const [row] = endpointId.length <= 64
    ? await db.select().from(incomingEndpoints).where(eq(incomingEndpoints.id, endpointId)).limit(1)
    : [];
  const value = row && row.enabled ? row : null;
  if (endpointCache.size > 1000) endpointCache.clear();
  endpointCache.set(endpointId, { value, expires: Date.now() + ENDPOINT_CACHE_MS });
  return value;
}

/** For settings pages: a changed endpoint is read fresh by this instance at once. */
export function forgetEndpoint(endpointId: string) {
  endpointCache.delete(endpointId);
}

/** Every error code the endpoint answers with, and its HTTP status (documented in the README). */
export const INCOMING_ERROR_CODES = {
  missing_parameter: 400,
  duplicate_parameter: 400,
  conflicting_parameters: 400,
  malformed_body: 400,
  unsupported_content_type: 400,
  missing_token: 401,
  invalid_token: 401,
  missing_signature: 401,
  invalid_signature: 401,
  ip_not_allowed: 403,
  unknown_endpoint: 404,
  unknown_click: 404,
  transaction_conflict: 409,
  body_too_large: 413,
  invalid_parameter: 422,
  unknown_status: 422,
  unknown_goal: 422,
  click_expired: 422,
  rate_limited: 429,
  /** The database was out of reach (a restart, a failover): nothing was recorded; send it again. */
  unavailable: 503,
} as const;
