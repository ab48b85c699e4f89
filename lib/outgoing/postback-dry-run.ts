import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { deliveries, deliveryAttempts, outgoingPostbacks } from "@/db/schema";
import type { Viewer } from "@/lib/access/users";
import { AppError } from "@/lib/platform/errors";
import type { DispatchSettings } from "./delivery-attempts";
import { matchingEvents, type PostbackInput, validatePostback } from "./postback-config";
import { macroValuesFor, maskHeaders, maskUrl, renderPostbackRequest } from "./postback-render";

export const DRY_RUN_CONVERSIONS = 20;

/** A request as the attempt log keeps it: secret-looking query values and headers masked. */
export type LoggedRequest = { method: string; url: string; headers: Record<string, string>; body: string | null };

export type DiffPart = { text: string; change: "same" | "added" | "removed" };

export type DryRunRow = {
  conversionId: string;
  /** The status change it would relay, and when it happened. */
  status: string;
  at: string;
  /** The template as edited, rendered for this conversion event. */
  rendered: LoggedRequest;
  /** The latest attempt of this postback's delivery of the same event; null when it sent none. */
  sent: (LoggedRequest & { deliveryId: string; at: string; attemptNumber: number; ok: boolean; responseStatus: number | null }) | null;
  /** Sent against rendered: what the edit removes and adds, per part of the request; null when nothing was sent. */
  diff: { url: DiffPart[]; headers: DiffPart[]; body: DiffPart[] } | null;
  changed: boolean;
};

/**
 * Dry run of a postback as its form stands (saved or not): the template rendered against the last
 * `limit` conversions it would have matched (one event each, the latest it listens for), beside
 * what its delivery of that event actually sent, the difference marked. Each is rendered with the
 * sent request's delivery id and timestamp, so only the edit shows as a difference. Sends nothing
 * and writes nothing.
 */
export async function dryRunPostback(
  db: Executor,
  owner: Viewer,
  target: { id?: string; draft: PostbackInput },
  guard: Pick<DispatchSettings, "allowedAddresses">,
  limit = DRY_RUN_CONVERSIONS,
): Promise<DryRunRow[]> {
  const [saved] = target.id
    ? await db.select().from(outgoingPostbacks).where(and(eq(outgoingPostbacks.id, target.id), eq(outgoingPostbacks.ownerOrgId, owner.orgId)))
    : [];
  if (target.id && !saved) throw new AppError("not_found", "errors.notFound.postback");
  const values = await validatePostback(db, owner, target.draft, guard);
  // A blank secret in the edit form means "keep the saved one", as on save.
  const template = { ...values, signingSecret: target.draft.signingSecret ?? saved?.signingSecret ?? null };
  const events = await matchingEvents(db, { ...values, ownerOrgId: owner.orgId, ownerKind: owner.orgKind }, limit);

  const sentByEvent = saved ? await latestAttempts(db, saved.id, events.map((e) => e.event.id)) : new Map<string, SentAttempt>();
  return events.map(({ conversion, event, offer, goalName }) => {
    const sent = sentByEvent.get(event.id) ?? null;
    const deliveryId = sent?.deliveryId ?? "dlv_dry_run";
    const sentAt = Number(sent?.headers["webhook-timestamp"]);
    const now = Number.isFinite(sentAt) && sentAt > 0 ? new Date(sentAt * 1000) : new Date();
    const request = renderPostbackRequest(template, macroValuesFor({ conversion, event, offer, goalName, deliveryId, ownerKind: owner.orgKind }), now);
    const rendered: LoggedRequest = { method: request.method, url: maskUrl(request.url), headers: maskHeaders(request.headers), body: request.body ?? null };
    const diff = sent
      ? {
          url: diffText(`${sent.method} ${sent.url}`, `${rendered.method} ${rendered.url}`),
          headers: diffText(headerLines(sent.headers), headerLines(rendered.headers)),
          body: diffText(sent.body ?? "", rendered.body ?? ""),
        }
      : null;
    return {
      conversionId: conversion.id,
      status: event.toStatus,
      at: event.createdAt.toISOString(),
      rendered,
      sent,
      diff,
      changed: diff ? Object.values(diff).some((parts) => parts.some((p) => p.change !== "same")) : true,
    };
  });
}

type SentAttempt = NonNullable<DryRunRow["sent"]>;

/** The latest attempt of the postback's delivery of each event. */
async function latestAttempts(db: Executor, postbackId: string, eventIds: string[]): Promise<Map<string, SentAttempt>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db
    .select({ eventId: deliveries.conversionEventId, attempt: deliveryAttempts })
    .from(deliveries)
    .innerJoin(deliveryAttempts, eq(deliveryAttempts.deliveryId, deliveries.id))
    .where(and(eq(deliveries.postbackId, postbackId), inArray(deliveries.conversionEventId, eventIds)))
    .orderBy(asc(deliveryAttempts.seq));
  const latest = new Map<string, SentAttempt>();
  for (const { eventId, attempt } of rows) {
    latest.set(eventId, {
      deliveryId: attempt.deliveryId!,
      method: attempt.method,
      url: attempt.url,
      headers: attempt.requestHeaders,
      body: attempt.requestBody,
      at: attempt.createdAt.toISOString(),
      attemptNumber: attempt.attemptNumber,
      ok: attempt.ok,
      responseStatus: attempt.responseStatus,
    });
  }
  return latest;
}

/** Headers one per line, by name: the log stores them as JSON, whose key order is not the sent order. */
function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name.toLowerCase()}: ${value}`)
    .sort()
    .join("\n");
}

// Words and the punctuation between them: a renamed parameter shows as that name alone.
const TOKEN = /[A-Za-z0-9_.%~+-]+|[^A-Za-z0-9_.%~+-]/g;
// Beyond this many token pairs the diff marks the span between the first and the last difference.
const MAX_CELLS = 250_000;

/** What changes from `before` to `after`, token by token (longest common subsequence), in order. */
export function diffText(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ text: before, change: "same" }] : [];
  const a = before.match(TOKEN) ?? [];
  const b = after.match(TOKEN) ?? [];
  const parts: DiffPart[] = [];
  const push = (text: string, change: DiffPart["change"]) => {
    const last = parts.at(-1);
    if (last && last.change === change) last.text += text;
    else parts.push({ text, change });
  };
  if (a.length * b.length > MAX_CELLS) {
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) start++;
    let end = 0;
    while (end < before.length - start && end < after.length - start && before.at(-1 - end) === after.at(-1 - end)) end++;
    push(before.slice(0, start), "same");
    if (before.length - end > start) push(before.slice(start, before.length - end), "removed");
    if (after.length - end > start) push(after.slice(start, after.length - end), "added");
    if (end > 0) push(before.slice(before.length - end), "same");
    return parts.filter((p) => p.text);
  }
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      push(a[i++], "same");
      j++;
    } else if (i < a.length && (j === b.length || lengths[i + 1][j] >= lengths[i][j + 1])) {
      push(a[i++], "removed");
    } else {
      push(b[j++], "added");
    }
  }
  return parts;
}
