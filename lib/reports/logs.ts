import { and, desc, eq, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { conversions, deliveries, deliveryAttempts, incomingPostbackLog, offers, organizations, outgoingPostbacks } from "@/db/schema";
import type { Viewer } from "@/lib/access/users";
import { maskHeaders, maskUrl } from "@/lib/outgoing/postback-render";
import { timeText } from "@/lib/platform/paging";

/**
 * The log pages' one query layer: incoming requests (networks and merchants) and outgoing
 * deliveries (their owner, their recipient, and the network of their conversion), with the same
 * filters for the first page, "older" pages, the live stream and CSV export. Every query is scoped
 * to the viewer's rows and served by an index (tests/integration/explain.test.ts); the live stream's
 * rows are filtered in memory by `liveRowMatcher`, which mirrors the SQL filters.
 */
export const logFilterSchema = z.object({
  result: z.enum(["accepted", "duplicate", "ignored", "rejected", "pending", "delivered", "failed", "cancelled"]).optional().catch(undefined),
  codeClass: z.enum(["2xx", "3xx", "4xx", "5xx", "none"]).optional().catch(undefined),
  offerId: z.string().max(64).optional(),
  postbackId: z.string().max(64).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  /** An id, matched exactly: click id, transaction id, conversion id, delivery id or log row id. */
  q: z.string().max(128).optional(),
});
export type LogFilters = z.infer<typeof logFilterSchema>;
export type LogKind = "incoming" | "outgoing";

// A result word of the other tab (a bookmarked URL) filters nothing rather than failing the query.
const INCOMING_RESULTS = new Set<string>(["accepted", "duplicate", "ignored", "rejected"]);
const DELIVERY_STATES = new Set<string>(["pending", "delivered", "failed", "cancelled"]);

export function parseLogFilters(params: URLSearchParams | Record<string, string | undefined>): LogFilters {
  const raw = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  const cleaned = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, k === "q" ? v?.trim() : v]).filter(([, v]) => v !== undefined && v !== ""));
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

export type LogRow = IncomingRow | OutgoingRow;

/** A row's stamp to the microsecond (PostgreSQL's text; a JS Date keeps milliseconds): the stream's cursor. */
const stampText = timeText;

function incomingScope(viewer: Viewer): SQL {
  if (viewer.orgKind === "network") return eq(incomingPostbackLog.networkId, viewer.orgId);
  if (viewer.orgKind === "merchant") return eq(incomingPostbackLog.merchantId, viewer.orgId);
  return sql`false`;
}

/** The ids a log search matches, each through an index of its own (a bitmap OR, never a scan). */
function incomingSearch(q: string): SQL {
  return sql`(${incomingPostbackLog.id} = ${q} or ${incomingPostbackLog.clickId} = ${q} or ${incomingPostbackLog.transactionId} = ${q} or ${incomingPostbackLog.conversionId} = ${q})`;
}

function codeRange(codeClass: LogFilters["codeClass"]) {
  return codeClass && codeClass !== "none" ? { min: Number(codeClass[0]) * 100, max: Number(codeClass[0]) * 100 + 100 } : null;
}

function incomingFilters(f: LogFilters): (SQL | undefined)[] {
  const from = dateOrNull(f.from);
  const to = dateOrNull(f.to);
  const code = codeRange(f.codeClass);
  return [
    f.result && INCOMING_RESULTS.has(f.result) ? eq(incomingPostbackLog.result, f.result as "accepted") : undefined,
    code ? and(gte(incomingPostbackLog.httpStatus, code.min), lt(incomingPostbackLog.httpStatus, code.max)) : undefined,
    from ? gte(incomingPostbackLog.createdAt, from) : undefined,
    to ? lte(incomingPostbackLog.createdAt, to) : undefined,
    f.q ? incomingSearch(f.q) : undefined,
    f.offerId ? sql`${incomingPostbackLog.conversionId} in (select ${conversions.id} from ${conversions} where ${conversions.offerId} = ${f.offerId})` : undefined,
  ];
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
export async function listIncoming(db: Executor, viewer: Viewer, filters: LogFilters, page: { before?: number; limit: number }) {
  const rows = await db
    .select(incomingColumns)
    .from(incomingPostbackLog)
    .where(and(incomingScope(viewer), ...incomingFilters(filters), page.before ? lt(incomingPostbackLog.seq, page.before) : undefined))
    .orderBy(desc(incomingPostbackLog.seq))
    .limit(page.limit);
  return rows.map(toIncomingRow);
}

/** Its owner, its recipient, and the network whose offer the conversion is on (read-only, masked). */
function outgoingScope(viewer: Viewer): SQL {
  // One column per party, so that one index serves each party's log in order: only networks and
  // affiliates own postbacks; an affiliate's are sent to itself, a network's to a merchant, and
  // every delivery carries its conversion's network.
  if (viewer.orgKind === "network") return eq(deliveries.networkId, viewer.orgId);
  if (viewer.orgKind === "merchant") return eq(deliveries.recipientOrgId, viewer.orgId);
  if (viewer.orgKind === "affiliate") return eq(deliveries.ownerOrgId, viewer.orgId);
  return sql`false`;
}

/** The deliveries a search names: by their id, or by their conversion's id, click id or transaction id. */
function outgoingSearch(q: string): SQL {
  return sql`${deliveries.id} in (select ${q}::text union all select d.id from ${deliveries} d where d.conversion_id in (
    select c.id from ${conversions} c where c.id = ${q} or c.click_id = ${q} or c.transaction_id = ${q}))`;
}

function outgoingFilters(f: LogFilters): (SQL | undefined)[] {
  const from = dateOrNull(f.from);
  const to = dateOrNull(f.to);
  const code = codeRange(f.codeClass);
  return [
    f.result && DELIVERY_STATES.has(f.result) ? eq(deliveries.state, f.result as "pending") : undefined,
    f.codeClass === "none" ? sql`${deliveries.lastStatusCode} is null` : code ? and(gte(deliveries.lastStatusCode, code.min), lt(deliveries.lastStatusCode, code.max)) : undefined,
    f.postbackId ? eq(deliveries.postbackId, f.postbackId) : undefined,
    f.offerId ? eq(conversions.offerId, f.offerId) : undefined,
    from ? gte(deliveries.createdAt, from) : undefined,
    to ? lte(deliveries.createdAt, to) : undefined,
    f.q ? outgoingSearch(f.q) : undefined,
  ];
}

const outgoingColumns = (viewer: Viewer) => ({
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
  // What the stream's cursor and the watcher's in-memory filters read; not part of a row.
  version: stampText(deliveries.updatedAt),
  networkId: deliveries.networkId,
  ownerOrgId: deliveries.ownerOrgId,
  recipientOrgId: deliveries.recipientOrgId,
});

type OutgoingSelected = { createdAt: Date; updatedAt: Date; nextAttemptAt: Date; version: string; networkId: string; ownerOrgId: string; recipientOrgId: string | null } & Omit<
  OutgoingRow,
  "at" | "changedAt" | "nextAttemptAt"
>;

function toOutgoingRow({ createdAt, updatedAt, nextAttemptAt, version: _v, networkId: _n, ownerOrgId: _o, recipientOrgId: _r, ...row }: OutgoingSelected): OutgoingRow {
  return { ...row, at: createdAt.toISOString(), changedAt: updatedAt.toISOString(), nextAttemptAt: row.state === "pending" ? nextAttemptAt.toISOString() : null };
}

function outgoingQuery(db: Executor, viewer: Viewer) {
  return db
    .select(outgoingColumns(viewer))
    .from(deliveries)
    .innerJoin(organizations, eq(organizations.id, deliveries.ownerOrgId))
    .innerJoin(outgoingPostbacks, eq(outgoingPostbacks.id, deliveries.postbackId))
    .innerJoin(conversions, eq(conversions.id, deliveries.conversionId));
}

export async function listOutgoing(db: Executor, viewer: Viewer, filters: LogFilters, page: { before?: number; limit: number }) {
  const rows = await outgoingQuery(db, viewer)
    .where(and(outgoingScope(viewer), ...outgoingFilters(filters), page.before ? lt(deliveries.seq, page.before) : undefined))
    .orderBy(desc(deliveries.seq))
    .limit(page.limit);
  return rows.map(toOutgoingRow);
}

const EXPORT_PAGE = 200;

/**
 * The filtered rows for a CSV export, newest first, at most `maxRows`: read a page at a time by
 * seq, so each read walks the party's index in order and joins a bounded number of rows.
 */
export async function* exportLogPages(db: Executor, kind: LogKind, viewer: Viewer, filters: LogFilters, maxRows: number): AsyncGenerator<LogRow[]> {
  let read = 0;
  let before: number | undefined;
  while (read < maxRows) {
    const limit = Math.min(EXPORT_PAGE, maxRows - read);
    const page = kind === "incoming" ? await listIncoming(db, viewer, filters, { before, limit }) : await listOutgoing(db, viewer, filters, { before, limit });
    read += page.length;
    if (page.length > 0) yield page;
    if (page.length < limit) return;
    before = page.at(-1)!.seq;
  }
}

/**
 * The export as a CSV stream written a page at a time, so a download starts at once. The first
 * page is read before it is returned: a refusal or a failure then is still an error answer, not a
 * cut-off file.
 */
export async function exportCsv(db: Executor, kind: LogKind, viewer: Viewer, filters: LogFilters, maxRows: number): Promise<ReadableStream<Uint8Array>> {
  const pages = exportLogPages(db, kind, viewer, filters, maxRows);
  const first = await pages.next();
  const encoder = new TextEncoder();
  const lines = (rows: LogRow[]) => encoder.encode(`\r\n${csvLines(kind, rows).join("\r\n")}`);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvHeader(kind)));
      if (first.done) controller.close();
      else controller.enqueue(lines(first.value));
    },
    async pull(controller) {
      const next = await pages.next();
      if (next.done) controller.close();
      else controller.enqueue(lines(next.value));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}

/** The whole export at once (exportLogPages' pages together). */
export async function exportLog(db: Executor, kind: LogKind, viewer: Viewer, filters: LogFilters, maxRows: number): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  for await (const page of exportLogPages(db, kind, viewer, filters, maxRows)) rows.push(...page);
  return rows;
}

/**
 * Where a stream reads from: every row stamped at or after `since` (its caller's cursor less an
 * overlap, for transactions that committed late), or strictly after a row already read, by its
 * stamp to the microsecond and its seq. A row's stamp is its creation (incoming) or its last
 * change (a delivery comes again each time its state moves).
 */
export type StreamFrom = { since: Date } | { after: { version: string; seq: number } };

/** A log row with its stamp to the microsecond, the stream's cursor. */
export type Stamped<R> = { version: string; seq: number; row: R };

function streamWindow(stamp: typeof incomingPostbackLog.createdAt | typeof deliveries.updatedAt, seq: typeof incomingPostbackLog.seq | typeof deliveries.seq, from: StreamFrom): SQL {
  if ("since" in from) return gte(stamp, from.since);
  // Both halves, so that the planner bounds the index range by the stamp and checks the pair.
  return sql`${stamp} >= ${from.after.version}::timestamptz and (${stamp}, ${seq}) > (${from.after.version}::timestamptz, ${from.after.seq})`;
}

/** The viewer's rows written or changed since a point of the stream, oldest first (a stream's catch-up). */
export async function logRowsSince(db: Executor, kind: LogKind, viewer: Viewer, filters: LogFilters, from: StreamFrom, limit: number): Promise<Stamped<LogRow>[]> {
  if (kind === "incoming") {
    const rows = await db
      .select({ ...incomingColumns, version: stampText(incomingPostbackLog.createdAt) })
      .from(incomingPostbackLog)
      .where(and(incomingScope(viewer), ...incomingFilters(filters), streamWindow(incomingPostbackLog.createdAt, incomingPostbackLog.seq, from)))
      .orderBy(incomingPostbackLog.createdAt, incomingPostbackLog.seq)
      .limit(limit);
    return rows.map(({ version, ...row }) => ({ version, seq: row.seq, row: toIncomingRow(row) }));
  }
  const rows = await outgoingQuery(db, viewer)
    .where(and(outgoingScope(viewer), ...outgoingFilters(filters), streamWindow(deliveries.updatedAt, deliveries.seq, from)))
    .orderBy(deliveries.updatedAt, deliveries.seq)
    .limit(limit);
  return rows.map((row) => ({ version: row.version, seq: row.seq, row: toOutgoingRow(row) }));
}

/**
 * What one instance's live-log watcher holds of a row: the row as any viewer sees it, and the
 * columns a viewer's scope and filters read, so each open stream filters it in memory.
 */
export type LiveRow =
  | { kind: "incoming"; version: string; seq: number; networkId: string | null; merchantId: string | null; offerId: string | null; row: IncomingRow }
  | { kind: "outgoing"; version: string; seq: number; networkId: string; ownerOrgId: string; recipientOrgId: string | null; row: Omit<OutgoingRow, "own" | "masked"> };

/** Every party's rows written or changed since a point, oldest first: ids and stamps only (the watcher's read). */
export async function changedSince(db: Executor, kind: LogKind, from: StreamFrom, limit: number): Promise<{ id: string; version: string; seq: number }[]> {
  const table = kind === "incoming" ? incomingPostbackLog : deliveries;
  const stamp = kind === "incoming" ? incomingPostbackLog.createdAt : deliveries.updatedAt;
  return db
    .select({ id: table.id, version: stampText(stamp), seq: table.seq })
    .from(table)
    .where(streamWindow(stamp, table.seq, from))
    .orderBy(stamp, table.seq)
    .limit(limit);
}

/** The watcher's rows by id (primary key lookups), oldest first. */
export async function liveRowsById(db: Executor, kind: LogKind, ids: string[]): Promise<LiveRow[]> {
  if (ids.length === 0) return [];
  if (kind === "incoming") {
    const rows = await db
      .select({ ...incomingColumns, version: stampText(incomingPostbackLog.createdAt), networkId: incomingPostbackLog.networkId, merchantId: incomingPostbackLog.merchantId, offerId: conversions.offerId })
      .from(incomingPostbackLog)
      .leftJoin(conversions, eq(conversions.id, incomingPostbackLog.conversionId))
      .where(inArray(incomingPostbackLog.id, ids));
    return rows
      .map(({ version, networkId, merchantId, offerId, ...row }) => ({ kind, version, seq: row.seq, networkId, merchantId, offerId, row: toIncomingRow(row) }) as LiveRow)
      .sort(byStamp);
  }
  // Read as nobody in particular: each stream sets `own` and `masked` for its viewer.
  const rows = await outgoingQuery(db, { orgId: "", orgKind: "network" }).where(inArray(deliveries.id, ids));
  return rows
    .map((selected) => {
      const { own: _own, masked: _masked, ...row } = toOutgoingRow(selected);
      return { kind, version: selected.version, seq: row.seq, networkId: selected.networkId, ownerOrgId: selected.ownerOrgId, recipientOrgId: selected.recipientOrgId, row } as LiveRow;
    })
    .sort(byStamp);
}

/** Oldest first: by stamp, then by seq within one stamp. */
export const byStamp = (a: { version: string; seq: number }, b: { version: string; seq: number }) => (a.version < b.version ? -1 : a.version > b.version ? 1 : a.seq - b.seq);

/**
 * What a stream keeps of a watched row: the row as `viewer` sees it through `filters`, or null
 * when it is not the viewer's or does not match; the same scope and filters as the SQL above, in
 * memory. The filters are read once per stream, not once per row.
 */
export function liveRowMatcher(viewer: Viewer, filters: LogFilters): (live: LiveRow) => LogRow | null {
  const from = dateOrNull(filters.from);
  const to = dateOrNull(filters.to);
  const code = codeRange(filters.codeClass);
  const { q, offerId, postbackId } = filters;
  const incomingResult = filters.result && INCOMING_RESULTS.has(filters.result) ? filters.result : null;
  const deliveryState = filters.result && DELIVERY_STATES.has(filters.result) ? filters.result : null;
  return (live) => {
    if (from || to) {
      const at = new Date(live.row.at);
      if ((from && at < from) || (to && at > to)) return null;
    }
    if (live.kind === "incoming") {
      const row = live.row;
      const mine = viewer.orgKind === "network" ? live.networkId === viewer.orgId : viewer.orgKind === "merchant" ? live.merchantId === viewer.orgId : false;
      if (!mine) return null;
      if (incomingResult && row.result !== incomingResult) return null;
      if (code && (row.httpStatus < code.min || row.httpStatus >= code.max)) return null;
      if (q && ![row.id, row.clickId, row.transactionId, row.conversionId].includes(q)) return null;
      if (offerId && live.offerId !== offerId) return null;
      return row;
    }
    const row = live.row;
    const mine =
      viewer.orgKind === "network" ? live.networkId === viewer.orgId
      : viewer.orgKind === "merchant" ? live.recipientOrgId === viewer.orgId
      : viewer.orgKind === "affiliate" ? live.ownerOrgId === viewer.orgId
      : false;
    if (!mine) return null;
    if (deliveryState && row.state !== deliveryState) return null;
    if (filters.codeClass === "none" ? row.lastStatusCode !== null : code && (row.lastStatusCode === null || row.lastStatusCode < code.min || row.lastStatusCode >= code.max)) return null;
    if (postbackId && row.postbackId !== postbackId) return null;
    if (offerId && row.offerId !== offerId) return null;
    if (q && ![row.id, row.conversionId, row.clickId, row.transactionId].includes(q)) return null;
    return outgoingView(live, live.ownerOrgId === viewer.orgId, live.ownerOrgId !== viewer.orgId && live.recipientOrgId !== viewer.orgId);
  };
}

const outgoingViews = new WeakMap<LiveRow, Map<string, LogRow>>();

/**
 * A delivery as one kind of viewer sees it (its own or not, masked or not): the same object for
 * every stream that sees it so, so that a stream route can write each row's JSON once for all.
 */
function outgoingView(live: Extract<LiveRow, { kind: "outgoing" }>, own: boolean, masked: boolean): LogRow {
  let views = outgoingViews.get(live);
  if (!views) outgoingViews.set(live, (views = new Map()));
  const key = `${own}/${masked}`;
  let view = views.get(key);
  if (!view) views.set(key, (view = { ...live.row, own, masked }));
  return view;
}

/**
 * A delivery with every attempt, for the detail drawer; null for a delivery the viewer may not see.
 * Another organization's attempts (an affiliate's, read by its network) come masked.
 */
export async function getDeliveryDetail(db: Executor, viewer: Viewer, deliveryId: string) {
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

export async function getIncomingDetail(db: Executor, viewer: Viewer, id: string) {
  const [row] = await db.select(incomingColumns).from(incomingPostbackLog).where(and(eq(incomingPostbackLog.id, id), incomingScope(viewer)));
  return row ? toIncomingRow(row) : null;
}

/** The offers the viewer's log rows can be filtered by. */
export function offersForFilter(db: Executor, viewer: Viewer) {
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
  return [csvHeader(kind), ...csvLines(kind, rows)].join("\r\n");
}

/** The CSV's first line: the column names. */
function csvHeader(kind: "incoming" | "outgoing"): string {
  return CSV_COLUMNS[kind].join(",");
}

/** One CSV line per row (no line ends), for an export written a page at a time. */
function csvLines(kind: "incoming" | "outgoing", rows: (IncomingRow | OutgoingRow)[]): string[] {
  const columns = CSV_COLUMNS[kind];
  const cell = (value: unknown) => {
    const text = value == null ? "" : String(value);
    // Quote always; neutralise spreadsheet formulas in values that came from outside.
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return `"${safe.replaceAll('"', '""')}"`;
  };
  return rows.map((row) => columns.map((c) => cell((row as Record<string, unknown>)[c])).join(","));
}
