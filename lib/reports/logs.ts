import { and, desc, eq, gte, ilike, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { conversions, deliveries, deliveryAttempts, incomingPostbackLog, offers, organizations, outgoingPostbacks } from "@/db/schema";
import type { SessionUser } from "@/lib/access/users";
import { maskHeaders, maskUrl } from "@/lib/outgoing/postback-render";

/**
 * The log pages' one query layer: incoming requests (networks and merchants) and outgoing
 * deliveries (their owner, their recipient, and the network of their conversion), with the same
 * filters for the first page, "older" pages, the live stream and CSV export. Every query is scoped
 * to the viewer's rows.
 */
export const logFilterSchema = z.object({
  result: z.enum(["accepted", "duplicate", "ignored", "rejected", "pending", "delivered", "failed", "cancelled"]).optional().catch(undefined),
  codeClass: z.enum(["2xx", "3xx", "4xx", "5xx", "none"]).optional().catch(undefined),
  offerId: z.string().max(64).optional(),
  postbackId: z.string().max(64).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  q: z.string().max(128).optional(),
});
export type LogFilters = z.infer<typeof logFilterSchema>;

// A result word of the other tab (a bookmarked URL) filters nothing rather than failing the query.
const INCOMING_RESULTS = new Set<string>(["accepted", "duplicate", "ignored", "rejected"]);
const DELIVERY_STATES = new Set<string>(["pending", "delivered", "failed", "cancelled"]);

export function parseLogFilters(params: URLSearchParams | Record<string, string | undefined>): LogFilters {
  const raw = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = logFilterSchema.safeParse(cleaned);
  return parsed.success ? parsed.data : {};
}

const dateOrNull = (text?: string) => {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
};

export type IncomingRow = {
  id: string;
  seq: number;
  at: string;
  method: string;
  result: string;
  httpStatus: number;
  errorCode: string | null;
  message: string | null;
  clickId: string | null;
  transactionId: string | null;
  status: string | null;
  originalStatus: string | null;
  sourceIp: string | null;
  conversionId: string | null;
  durationMs: number | null;
  params: Record<string, unknown>;
};

export type OutgoingRow = {
  id: string;
  seq: number;
  at: string;
  changedAt: string;
  state: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  postbackId: string;
  postbackName: string;
  destinationHost: string;
  conversionId: string;
  clickId: string;
  transactionId: string | null;
  status: string;
  offerId: string;
  /** The viewer's own postback: it may replay it. */
  own: boolean;
  /** Neither the viewer's nor sent to it: a network reading its affiliate's delivery sees it masked. */
  masked: boolean;
  ownerName: string;
  /** When a pending delivery's next attempt is due (its lease while an attempt is running). */
  nextAttemptAt: string | null;
};

function incomingScope(viewer: SessionUser): SQL | undefined {
  if (viewer.orgKind === "network") return eq(incomingPostbackLog.networkId, viewer.orgId);
  if (viewer.orgKind === "merchant") return eq(incomingPostbackLog.merchantId, viewer.orgId);
  return sql`false`;
}

function incomingFilters(f: LogFilters): (SQL | undefined)[] {
  const from = dateOrNull(f.from);
  const to = dateOrNull(f.to);
  const codeClass = f.codeClass && f.codeClass !== "none" ? Number(f.codeClass[0]) : undefined;
  return [
    f.result && INCOMING_RESULTS.has(f.result) ? eq(incomingPostbackLog.result, f.result as "accepted") : undefined,
    codeClass ? and(gte(incomingPostbackLog.httpStatus, codeClass * 100), lt(incomingPostbackLog.httpStatus, codeClass * 100 + 100)) : undefined,
    from ? gte(incomingPostbackLog.createdAt, from) : undefined,
    to ? lte(incomingPostbackLog.createdAt, to) : undefined,
    f.q ? or(ilike(incomingPostbackLog.clickId, `%${escapeLike(f.q)}%`), ilike(incomingPostbackLog.transactionId, `%${escapeLike(f.q)}%`)) : undefined,
    f.offerId ? sql`${incomingPostbackLog.conversionId} in (select ${conversions.id} from ${conversions} where ${conversions.offerId} = ${f.offerId})` : undefined,
  ];
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const incomingColumns = {
  id: incomingPostbackLog.id,
  seq: incomingPostbackLog.seq,
  createdAt: incomingPostbackLog.createdAt,
  method: incomingPostbackLog.method,
  result: incomingPostbackLog.result,
  httpStatus: incomingPostbackLog.httpStatus,
  errorCode: incomingPostbackLog.errorCode,
  message: incomingPostbackLog.message,
  clickId: incomingPostbackLog.clickId,
  transactionId: incomingPostbackLog.transactionId,
  status: incomingPostbackLog.status,
  originalStatus: incomingPostbackLog.originalStatus,
  sourceIp: incomingPostbackLog.sourceIp,
  conversionId: incomingPostbackLog.conversionId,
  durationMs: incomingPostbackLog.durationMs,
  params: incomingPostbackLog.params,
};

function toIncomingRow({ createdAt, ...row }: { createdAt: Date } & Omit<IncomingRow, "at">): IncomingRow {
  return { ...row, at: createdAt.toISOString() };
}

/** Newest first; `before` is the seq of the last row of the previous page. */
export async function listIncoming(db: Executor, viewer: SessionUser, filters: LogFilters, page: { before?: number; limit: number }) {
  const rows = await db
    .select(incomingColumns)
    .from(incomingPostbackLog)
    .where(and(incomingScope(viewer), ...incomingFilters(filters), page.before ? lt(incomingPostbackLog.seq, page.before) : undefined))
    .orderBy(desc(incomingPostbackLog.seq))
    .limit(page.limit);
  return rows.map(toIncomingRow);
}

/**
 * Where a stream reads from: `since` less an overlap (rows of transactions that committed late),
 * or, to go on after a full page, strictly after the last row read (ms precision, as sent).
 */
export type StreamFrom = { since: Date; overlapMs: number } | { after: { at: Date; seq: number } };

function streamWindow(stamp: typeof incomingPostbackLog.createdAt | typeof deliveries.updatedAt, seq: typeof incomingPostbackLog.seq | typeof deliveries.seq, from: StreamFrom) {
  if ("since" in from) return gte(stamp, new Date(from.since.getTime() - from.overlapMs));
  return sql`(date_trunc('milliseconds', ${stamp}), ${seq}) > (${from.after.at.toISOString()}::timestamptz, ${from.after.seq})`;
}

/** Rows written since a point of the stream, oldest first. */
export async function incomingSince(db: Executor, viewer: SessionUser, filters: LogFilters, from: StreamFrom, limit: number) {
  const rows = await db
    .select(incomingColumns)
    .from(incomingPostbackLog)
    .where(and(incomingScope(viewer), ...incomingFilters(filters), streamWindow(incomingPostbackLog.createdAt, incomingPostbackLog.seq, from)))
    .orderBy(sql`date_trunc('milliseconds', ${incomingPostbackLog.createdAt})`, incomingPostbackLog.seq)
    .limit(limit);
  return rows.map(toIncomingRow);
}

/** Its owner, its recipient, and the network whose offer the conversion is on (read-only, masked). */
function outgoingScope(viewer: SessionUser): SQL | undefined {
  return or(
    eq(deliveries.ownerOrgId, viewer.orgId),
    eq(deliveries.recipientOrgId, viewer.orgId),
    viewer.orgKind === "network" ? eq(conversions.networkId, viewer.orgId) : undefined,
  );
}

function outgoingFilters(f: LogFilters): (SQL | undefined)[] {
  const from = dateOrNull(f.from);
  const to = dateOrNull(f.to);
  const codeClass = f.codeClass;
  return [
    f.result && DELIVERY_STATES.has(f.result) ? eq(deliveries.state, f.result as "pending") : undefined,
    codeClass === "none"
      ? sql`${deliveries.lastStatusCode} is null`
      : codeClass
        ? and(gte(deliveries.lastStatusCode, Number(codeClass[0]) * 100), lt(deliveries.lastStatusCode, Number(codeClass[0]) * 100 + 100))
        : undefined,
    f.postbackId ? eq(deliveries.postbackId, f.postbackId) : undefined,
    f.offerId ? eq(conversions.offerId, f.offerId) : undefined,
    from ? gte(deliveries.createdAt, from) : undefined,
    to ? lte(deliveries.createdAt, to) : undefined,
    f.q ? or(ilike(conversions.clickId, `%${escapeLike(f.q)}%`), ilike(conversions.transactionId, `%${escapeLike(f.q)}%`)) : undefined,
  ];
}

const outgoingColumns = (viewer: SessionUser) => ({
  id: deliveries.id,
  seq: deliveries.seq,
  createdAt: deliveries.createdAt,
  updatedAt: deliveries.updatedAt,
  state: deliveries.state,
  attempts: deliveries.attempts,
  lastStatusCode: deliveries.lastStatusCode,
  lastError: deliveries.lastError,
  postbackId: deliveries.postbackId,
  postbackName: outgoingPostbacks.name,
  destinationHost: deliveries.destinationHost,
  conversionId: deliveries.conversionId,
  clickId: conversions.clickId,
  transactionId: conversions.transactionId,
  status: sql<string>`(select to_status from conversion_events where id = ${deliveries.conversionEventId})`,
  offerId: conversions.offerId,
  own: sql<boolean>`${deliveries.ownerOrgId} = ${viewer.orgId}`,
  masked: sql<boolean>`${deliveries.ownerOrgId} <> ${viewer.orgId} and ${deliveries.recipientOrgId} is distinct from ${viewer.orgId}`,
  ownerName: organizations.name,
  nextAttemptAt: deliveries.nextAttemptAt,
});

type OutgoingSelected = { createdAt: Date; updatedAt: Date; nextAttemptAt: Date } & Omit<OutgoingRow, "at" | "changedAt" | "nextAttemptAt">;

function toOutgoingRow({ createdAt, updatedAt, nextAttemptAt, ...row }: OutgoingSelected): OutgoingRow {
  return { ...row, at: createdAt.toISOString(), changedAt: updatedAt.toISOString(), nextAttemptAt: row.state === "pending" ? nextAttemptAt.toISOString() : null };
}

function outgoingQuery(db: Executor, viewer: SessionUser) {
  return db
    .select(outgoingColumns(viewer))
    .from(deliveries)
    .innerJoin(organizations, eq(organizations.id, deliveries.ownerOrgId))
    .innerJoin(outgoingPostbacks, eq(outgoingPostbacks.id, deliveries.postbackId))
    .innerJoin(conversions, eq(conversions.id, deliveries.conversionId));
}

export async function listOutgoing(db: Executor, viewer: SessionUser, filters: LogFilters, page: { before?: number; limit: number }) {
  const rows = await outgoingQuery(db, viewer)
    .where(and(outgoingScope(viewer), ...outgoingFilters(filters), page.before ? lt(deliveries.seq, page.before) : undefined))
    .orderBy(desc(deliveries.seq))
    .limit(page.limit);
  return rows.map(toOutgoingRow);
}

/** Deliveries created or changed since a point of the stream: a row comes again each time its state moves. */
export async function outgoingSince(db: Executor, viewer: SessionUser, filters: LogFilters, from: StreamFrom, limit: number) {
  const rows = await outgoingQuery(db, viewer)
    .where(and(outgoingScope(viewer), ...outgoingFilters(filters), streamWindow(deliveries.updatedAt, deliveries.seq, from)))
    .orderBy(sql`date_trunc('milliseconds', ${deliveries.updatedAt})`, deliveries.seq)
    .limit(limit);
  return rows.map(toOutgoingRow);
}

/**
 * A delivery with every attempt, for the detail drawer; null for a delivery the viewer may not see.
 * Another organization's attempts (an affiliate's, read by its network) come masked.
 */
export async function getDeliveryDetail(db: Executor, viewer: SessionUser, deliveryId: string) {
  const [row] = await outgoingQuery(db, viewer).where(and(eq(deliveries.id, deliveryId), outgoingScope(viewer)));
  if (!row) return null;
  const delivery = toOutgoingRow(row);
  const attempts = await db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.deliveryId, deliveryId))
    .orderBy(deliveryAttempts.seq);
  return {
    delivery,
    attempts: attempts.map((a) => {
      const attempt = { ...a, createdAt: a.createdAt.toISOString() };
      return delivery.masked ? maskForeignAttempt(attempt) : attempt;
    }),
  };
}

// Headers Postline itself sets that carry no secret; every other header of another party's postback is masked.
const PLAIN_HEADERS = new Set(["content-type", "content-length", "user-agent", "webhook-id", "webhook-timestamp", "x-postline-delivery-id"]);
const MASK = "••••";

/**
 * What the network sees of an affiliate's attempt: the URL with secret-looking query values masked,
 * the affiliate's own headers and its signature masked, a form body masked as a query, any other
 * body withheld (a JSON body may carry keys under any name).
 */
export function maskForeignAttempt<A extends Pick<typeof deliveryAttempts.$inferSelect, "url" | "requestHeaders" | "requestBody" | "responseHeaders">>(attempt: A): A {
  const contentType = Object.entries(attempt.requestHeaders).find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
  const body = attempt.requestBody;
  return {
    ...attempt,
    url: maskUrl(attempt.url),
    requestHeaders: Object.fromEntries(Object.entries(attempt.requestHeaders).map(([name, value]) => [name, PLAIN_HEADERS.has(name.toLowerCase()) ? value : MASK])),
    requestBody: !body ? body : contentType.startsWith("application/x-www-form-urlencoded") ? maskUrl(`?${body}`).slice(1) : `${MASK} (another organization's request body is not shown)`,
    responseHeaders: attempt.responseHeaders ? maskHeaders(attempt.responseHeaders) : null,
  };
}

export async function getIncomingDetail(db: Executor, viewer: SessionUser, id: string) {
  const [row] = await db.select(incomingColumns).from(incomingPostbackLog).where(and(eq(incomingPostbackLog.id, id), incomingScope(viewer)));
  return row ? toIncomingRow(row) : null;
}

/** The offers the viewer's log rows can be filtered by. */
export function offersForFilter(db: Executor, viewer: SessionUser) {
  const scope =
    viewer.orgKind === "network" ? eq(offers.networkId, viewer.orgId)
    : viewer.orgKind === "merchant" ? eq(offers.merchantId, viewer.orgId)
    : sql`${offers.id} in (select offer_id from campaigns where affiliate_id = ${viewer.orgId})`;
  return db.select({ id: offers.id, name: offers.name }).from(offers).where(scope).orderBy(offers.name);
}

const CSV_COLUMNS = {
  incoming: ["at", "method", "result", "httpStatus", "errorCode", "message", "clickId", "transactionId", "status", "originalStatus", "sourceIp", "conversionId", "durationMs"],
  outgoing: ["at", "state", "attempts", "lastStatusCode", "lastError", "postbackName", "destinationHost", "clickId", "transactionId", "status", "conversionId", "id"],
} as const;

export function toCsv(kind: "incoming" | "outgoing", rows: (IncomingRow | OutgoingRow)[]): string {
  const columns = CSV_COLUMNS[kind];
  const cell = (value: unknown) => {
    const text = value == null ? "" : String(value);
    // Quote always; neutralise spreadsheet formulas in values that came from outside.
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return `"${safe.replaceAll('"', '""')}"`;
  };
  return [columns.join(","), ...rows.map((row) => columns.map((c) => cell((row as Record<string, unknown>)[c])).join(","))].join("\r\n");
}
