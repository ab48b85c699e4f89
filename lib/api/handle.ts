import type { Database } from "@/db/client";
import { parseInput } from "@/lib/platform/input";
import { authenticateApiKey, bearerKey, type ApiKeyPrincipal } from "@/lib/access/api-keys";
import { can, type Permission } from "@/lib/access/permissions";
import { AppError, describeForLog, toAppError } from "@/lib/platform/errors";
import { errorResponse, jsonResponse, requestLocale } from "@/lib/platform/http";
import { getEnv } from "@/lib/platform/env";
import { consumeRateLimit, type RateLimitResult } from "@/lib/platform/rate-limit";
import { sweepIdempotencyKeys, withIdempotency } from "./idempotency";
import type { Operation } from "./operation";

export const API_PREFIX = "/api/v1";
const MAX_BODY_BYTES = 64 * 1024;

type Route = { operation: Operation; pattern: RegExp; names: string[] };

/** The router: each operation's path template as a pattern, in the order given. */
export function compileRoutes(operations: Operation[]): Route[] {
  return operations.map((operation) => {
    const names: string[] = [];
    const source = operation.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    return { operation, pattern: new RegExp(`^${source}$`), names };
  });
}

export type ApiHooks = { after: (work: () => Promise<void>) => void };

/**
 * Answers one request to /api/v1: the key, its rate limit, the operation's permission, its
 * schemas, `Idempotency-Key` on POSTs, then the core function. Every refusal has the postback
 * endpoint's shape `{ ok: false, error: { code, message, field } }`, its message in the language
 * `Accept-Language` asks for.
 */
export async function handleApiRequest(db: Database, routes: Route[], request: Request, hooks: ApiHooks): Promise<Response> {
  let limit: RateLimitResult | undefined;
  try {
    const url = new URL(request.url);
    const path = url.pathname.slice(API_PREFIX.length) || "/";
    const method = request.method.toLowerCase();
    const matches = routes.map((route) => ({ route, match: route.pattern.exec(path) })).filter((m) => m.match);
    if (matches.length === 0) throw new AppError("not_found", "errors.api.unknownPath", { detailCode: "unknown_endpoint", values: { path: `${API_PREFIX}${path}`, reference: `${API_PREFIX}/openapi.json` } });
    const found = matches.find((m) => m.route.operation.method === method);
    if (!found) throw new AppError("method_not_allowed", "errors.api.methodNotAllowed", { values: { path: `${API_PREFIX}${path}`, methods: [...new Set(matches.map((m) => m.route.operation.method.toUpperCase()))].join(", ") } });
    const { operation, names } = found.route;

    const key = bearerKey(request);
    if (!key) throw new AppError("unauthenticated", "errors.api.missingKey", { detailCode: "missing_api_key" });
    const principal = await authenticateApiKey(db, key);
    if (!principal) throw new AppError("unauthenticated", "errors.api.invalidKey", { detailCode: "invalid_api_key" });
    limit = await consumeRateLimit(db, `api:${principal.apiKeyId}`, getEnv().API_REQUESTS_PER_MINUTE);
    if (!limit.allowed) throw new AppError("rate_limited", "errors.api.rateLimited", { values: { limit: limit.limit } });
    authorize(principal, operation.permission);
    maybeSweep(db);

    const rawParams = Object.fromEntries(names.map((name, i) => [name, decodePathPart(found.match![i + 1], name)]));
    const params = operation.params ? parseInput(operation.params, rawParams) : {};
    const query = operation.query ? parseInput(operation.query, queryObject(url.searchParams)) : {};
    const rawBody = method === "get" || method === "delete" ? "" : await readBody(request);
    const body = operation.body ? parseInput(operation.body, parseJson(rawBody)) : undefined;

    const run = async () => {
      const result = await operation.handler({ params, query, body } as never, { db, principal, after: hooks.after });
      // The response schema is also an allow-list: a field it does not name never leaves.
      return { status: operation.status ?? 200, body: operation.response.parse(result) as unknown };
    };
    const idempotencyKey = request.headers.get("idempotency-key");
    const answer =
      method === "post" && idempotencyKey !== null
        ? await withIdempotency(db, { apiKeyId: principal.apiKeyId, key: idempotencyKey, fingerprint: `${method} ${path}\n${url.search}\n${rawBody}` }, run, (kept) =>
            operation.secretFields && kept && typeof kept === "object" ? { ...kept, ...Object.fromEntries(operation.secretFields.map((field) => [field, null])) } : kept,
          )
        : { ...(await run()), replayed: false };
    return jsonResponse(answer.status, answer.body, { ...rateLimitHeaders(limit), ...(answer.replayed ? { "idempotent-replayed": "true" } : {}) });
  } catch (caught) {
    const response = errorResponse(toAppError(caught), requestLocale(request));
    if (limit) for (const [name, value] of Object.entries(rateLimitHeaders(limit))) response.headers.set(name, value);
    return response;
  }
}

/** A read-only key that writes is a 403; an endpoint outside the key's party is a 404, as on the pages. */
function authorize(principal: ApiKeyPrincipal, permission: Permission) {
  if (can(principal, permission)) return;
  if (principal.role === "viewer" && can({ ...principal, role: "member" }, permission)) {
    throw new AppError("forbidden", "errors.api.readOnlyKey", { detailCode: "read_only_key" });
  }
  throw new AppError("not_found", "errors.api.outsideParty", { detailCode: "unknown_endpoint", values: { party: principal.orgKind } });
}

/** A path segment as text; a broken escape (`%E0%A4`) is the caller's mistake, not ours. */
function decodePathPart(part: string, field: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new AppError("bad_request", "errors.api.malformedPath", { field, detailCode: "malformed_path", values: { field } });
  }
}

function rateLimitHeaders(limit: RateLimitResult): Record<string, string> {
  const reset = Math.max(0, Math.ceil((limit.resetAt - Date.now()) / 1000));
  return {
    "ratelimit-limit": String(limit.limit),
    "ratelimit-remaining": String(Math.max(0, limit.limit - limit.count)),
    "ratelimit-reset": String(reset),
    ...(limit.allowed ? {} : { "retry-after": String(Math.max(1, reset)) }),
  };
}

/** A parameter given more than once (`status=a&status=b`) is a list. */
function queryObject(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}

async function readBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const text = declared > MAX_BODY_BYTES ? null : await request.text();
  if (text === null || Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError("payload_too_large", "errors.input.bodyTooLarge", { values: { maxBytes: MAX_BODY_BYTES } });
  return text;
}

function parseJson(raw: string): unknown {
  if (!raw.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch {
    // answered below
  }
  throw new AppError("bad_request", "errors.input.bodyNotObject", { detailCode: "malformed_body" });
}

let lastSweep = 0;
function maybeSweep(db: Database) {
  if (Date.now() - lastSweep < 600_000) return;
  lastSweep = Date.now();
  sweepIdempotencyKeys(db).catch((error: unknown) => console.error("[postline] could not sweep old idempotency keys", describeForLog(error)));
}
