import { AppError, type ErrorBody } from "./errors";
import { DEFAULT_LOCALE, type Locale, negotiateLocale } from "./locale";

/**
 * The client's address: the right-most X-Forwarded-For entry, which is the one added by the
 * nearest proxy (Vercel overwrites the header; nginx appends to it). `next start` facing the
 * internet directly keeps a header the client sent, so IP allow-lists need a proxy in front.
 */
export function clientIp(request: Request): string | null {
  const forwarded = request.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last || request.headers.get("x-real-ip") || null;
}

/** The language a machine's request asks its human messages in (`Accept-Language`), else English. */
export function requestLocale(request: Request): Locale {
  return negotiateLocale(request.headers.get("accept-language")) ?? DEFAULT_LOCALE;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** The error's message in the caller's language (`requestLocale`); its code and field are the same in all. */
export function errorResponse(error: AppError, locale: Locale = DEFAULT_LOCALE): Response {
  const body: { ok: false; error: ErrorBody } = { ok: false, error: error.toBody(locale) };
  const retryAfter = error.code === "rate_limited" ? "60" : error.code === "unavailable" ? "5" : undefined;
  return jsonResponse(error.status, body, retryAfter ? { "retry-after": retryAfter } : {});
}

export type RequestParams = {
  /** Query and body parameters, merged (a body value wins over the query's for the same name). */
  params: Record<string, string>;
  rawBody: string;
  rawQuery: string;
};

/**
 * Reads a request's parameters from the query string and a form or JSON body, refusing a body
 * over `maxBytes` (413) before reading more than that, and a body it cannot parse (400).
 */
export async function readRequestParams(request: Request, maxBytes: number): Promise<RequestParams> {
  const url = new URL(request.url);
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) addParam(params, key, value, "query");

  const rawBody = request.method === "GET" || request.method === "HEAD" ? "" : await readBodyLimited(request, maxBytes);
  if (rawBody.trim()) {
    const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type === "application/json" || (!type && /^\s*[{[]/.test(rawBody))) {
      Object.assign(params, jsonParams(rawBody));
    } else if (type === "application/x-www-form-urlencoded" || type === "text/plain" || !type) {
      const form: Record<string, string> = {};
      for (const [key, value] of new URLSearchParams(rawBody)) addParam(form, key, value, "body");
      Object.assign(params, form);
    } else {
      throw new AppError("bad_request", "errors.input.unsupportedContentType", {
        values: { type },
        detailCode: "unsupported_content_type",
      });
    }
  }
  return { params, rawBody, rawQuery: url.search.slice(1) };
}

function addParam(into: Record<string, string>, key: string, value: string, where: string) {
  if (key in into && into[key] !== value) {
    throw new AppError("bad_request", "errors.input.duplicateParameter", {
      values: { key, where },
      field: key,
      detailCode: "duplicate_parameter",
    });
  }
  into[key] = value;
}

function jsonParams(raw: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AppError("bad_request", "errors.input.invalidJson", { detailCode: "malformed_body" });
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new AppError("bad_request", "errors.input.jsonNotObject", { detailCode: "malformed_body" });
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value === null || value === undefined) continue;
    if (typeof value === "object") {
      throw new AppError("invalid_input", "errors.input.parameterNotScalar", {
        values: { key },
        field: key,
        detailCode: "invalid_parameter",
      });
    }
    out[key] = String(value);
  }
  return out;
}

async function readBodyLimited(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "errors.input.invalidUtf8", { detailCode: "malformed_body" });
  }
}

function tooLarge(maxBytes: number) {
  return new AppError("payload_too_large", "errors.input.bodyTooLarge", { detailCode: "body_too_large", values: { maxBytes: String(maxBytes) } });
}
