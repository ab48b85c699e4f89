import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { checkOutgoingUrl, type GuardSettings } from "./url-guard";

export type ErrorClass = "timeout" | "dns" | "refused" | "blocked" | "non_2xx" | "network";

export type OutgoingRequest = { method: "GET" | "POST"; url: string; headers: Record<string, string>; body?: string };

export type OutgoingResult = {
  ok: boolean;
  status: number | null;
  headers: Record<string, string>;
  body: string | null;
  durationMs: number;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
};

export type SendSettings = GuardSettings & { timeoutMs: number; maxResponseBytes: number };

/*
 * Connections to trackers are kept alive between deliveries (a new TCP and TLS handshake per
 * postback was most of a delivery's cost). Safe with the guard: a new connection still goes
 * through the request's pinned, checked address, and a reused one was checked when it opened.
 */
const keepAlive = { keepAlive: true, maxFreeSockets: 16, timeout: 30_000 };
const agents = { "http:": new HttpAgent(keepAlive), "https:": new HttpsAgent(keepAlive) };

/**
 * Sends one request through the SSRF guard: the address that passed the check is the one
 * connected to (a fixed `lookup`), redirects are not followed (a 3xx is a failure), the whole
 * exchange has a deadline, and at most `maxResponseBytes` of the answer are read. An answer whose
 * body is still coming at the deadline keeps its status, headers and what came of the body; a
 * 2xx among them counts as accepted (the tracker took the postback), with the timeout noted.
 */
export async function sendGuardedRequest(request: OutgoingRequest, settings: SendSettings): Promise<OutgoingResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const verdict = await checkOutgoingUrl(request.url, settings);
  if (!verdict.ok) {
    const dns = verdict.reason.includes("does not resolve");
    return { ok: false, status: null, headers: {}, body: null, durationMs: elapsed(), errorClass: dns ? "dns" : "blocked", errorMessage: verdict.reason };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: verdict.address, family: verdict.family }]);
    else callback(null, verdict.address, verdict.family);
  };
  const send = verdict.url.protocol === "https:" ? httpsRequest : httpRequest;

  return new Promise<OutgoingResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<OutgoingResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ ...result, durationMs: elapsed() });
    };
    let req: ReturnType<typeof send>;
    try {
      req = send(verdict.url, {
        method: request.method,
        headers: { "user-agent": "Postline/1.0 (+postback)", ...request.headers, ...(request.body !== undefined ? { "content-length": String(Buffer.byteLength(request.body)) } : {}) },
        lookup: pinned,
        agent: agents[verdict.url.protocol as "http:" | "https:"],
      });
    } catch (error) {
      // Node refuses, synchronously, a header value it cannot send (a newline, non-Latin-1 text).
      resolve({ ok: false, status: null, headers: {}, body: null, durationMs: elapsed(), errorClass: "network", errorMessage: `The request could not be made: ${(error as Error).message}` });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let answered: { status: number; headers: Record<string, string> } | null = null;
    const deadline = setTimeout(() => {
      req.destroy();
      if (!answered) {
        finish({ ok: false, status: null, headers: {}, body: null, errorClass: "timeout", errorMessage: `No answer within ${settings.timeoutMs} ms.` });
        return;
      }
      const { status, headers } = answered;
      finish({
        ok: status >= 200 && status < 300,
        status,
        headers,
        body: `${Buffer.concat(chunks).toString("utf8")}\n…[cut at the timeout]`,
        errorClass: "timeout",
        errorMessage: `HTTP ${status}, but the body was not complete within ${settings.timeoutMs} ms; what came of it is kept.`,
      });
    }, settings.timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => {
      const errorClass: ErrorClass = error.code === "ECONNREFUSED" ? "refused" : error.code === "ENOTFOUND" || error.code === "EAI_AGAIN" ? "dns" : "network";
      finish({ ok: false, status: null, headers: {}, body: null, errorClass, errorMessage: `${error.code ?? "error"}: ${error.message}` });
    });
    req.on("response", (res) => {
      answered = { status: res.statusCode ?? 0, headers: flattenHeaders(res.headers) };
      const done = (truncated: boolean) => {
        const { status, headers } = answered!;
        const ok = status >= 200 && status < 300;
        const body = Buffer.concat(chunks).toString("utf8") + (truncated ? "\n…[truncated]" : "");
        const redirect = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
        finish({ ok, status, headers, body, errorClass: ok ? null : "non_2xx", errorMessage: ok ? null : `HTTP ${status}${redirect}` });
      };
      res.on("data", (chunk: Buffer) => {
        if (size >= settings.maxResponseBytes) return;
        const room = settings.maxResponseBytes - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
        if (size >= settings.maxResponseBytes) {
          done(true);
          res.destroy();
        }
      });
      res.on("end", () => done(false));
      res.on("error", () => done(true));
    });
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
