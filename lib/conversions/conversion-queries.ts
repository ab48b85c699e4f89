import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { conversions, offers, organizations } from "@/db/schema";
import type { Viewer } from "@/lib/access/users";
import { AppError } from "@/lib/platform/errors";
import { decodeCursor, encodeCursor, newestFirst, olderThan, timeText } from "@/lib/platform/paging";
import { decisionsSeenBy } from "@/lib/program/caps";
import { findConversions } from "./find";

const affiliateOrg = alias(organizations, "affiliate_org");

export type ConversionFilters = { status?: string; goal?: string; flagged?: boolean; rule?: string };

/** How many conversions an id search may name at most (a click id of an offer with many conversions per click). */
const SEARCH_MAX = 200;

/**
 * A page of the viewer's conversions, newest first: a network's, a merchant's offers', or an
 * affiliate's own, with the filters and, with `q`, only those an id names exactly (conversion, click,
 * the tracker's click, transaction or delivery id). `after` is the opaque cursor of the previous
 * page's `older`; a conversion written while a person pages never shifts or repeats a row. A cursor
 * that is not one is an `invalid_input` on the field `after`.
 */
export async function listConversions(db: Executor, viewer: Viewer, options: { limit: number; after?: string; q?: string } & ConversionFilters) {
  const scope: SQL =
    viewer.orgKind === "network" ? eq(conversions.networkId, viewer.orgId)
    : viewer.orgKind === "merchant" ? eq(conversions.merchantId, viewer.orgId)
    : eq(conversions.affiliateId, viewer.orgId);
  const after = decodeAfter(options.after);
  const named = options.q ? (await findConversions(db, viewer, options.q, SEARCH_MAX)).map((m) => m.conversionId) : null;
  if (named && named.length === 0) return { rows: [], older: null };
  const rows = await db
    .select({
      id: conversions.id,
      clickId: conversions.clickId,
      transactionId: conversions.transactionId,
      status: conversions.status,
      originalStatus: conversions.originalStatus,
      goalKey: conversions.goalKey,
      holdUntil: conversions.holdUntil,
      flagged: conversions.flagged,
      decisions: conversions.decisions,
      payoutRuleId: conversions.payoutRuleId,
      revenueRuleId: conversions.revenueRuleId,
      offerId: conversions.offerId,
      payout: conversions.payout,
      revenue: conversions.revenue,
      currency: conversions.currency,
      createdAt: conversions.createdAt,
      updatedAt: conversions.updatedAt,
      offerName: offers.name,
      affiliateName: affiliateOrg.name,
      cursorAt: timeText(conversions.createdAt),
    })
    .from(conversions)
    .innerJoin(offers, eq(offers.id, conversions.offerId))
    .innerJoin(affiliateOrg, eq(affiliateOrg.id, conversions.affiliateId))
    .where(and(scope, ...filterConditions(options), named ? inArray(conversions.id, named) : undefined, olderThan(conversions.createdAt, conversions.id, after)))
    .orderBy(...newestFirst(conversions.createdAt, conversions.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit).map(({ cursorAt: _, ...row }) => ({ ...row, decisions: decisionsSeenBy(viewer.orgKind, row.decisions) }));
  const last = rows[options.limit - 1];
  return { rows: page, older: rows.length > options.limit ? encodeCursor(last.cursorAt, last.id) : null };
}

function decodeAfter(cursor: string | undefined) {
  try {
    return decodeCursor(cursor);
  } catch {
    throw new AppError("invalid_input", "errors.conversions.invalidPageLink", { field: "after" });
  }
}

/** The list's filters as conditions: status, goal, flagged, and a rule kind that acted on it. */
export function filterConditions(filters: ConversionFilters): (SQL | undefined)[] {
  return [
    filters.status ? eq(conversions.status, filters.status as "lead") : undefined,
    filters.goal ? eq(conversions.goalKey, filters.goal) : undefined,
    filters.flagged ? eq(conversions.flagged, true) : undefined,
    filters.rule ? sql`${conversions.decisions} @> ${JSON.stringify([{ kind: filters.rule }])}::jsonb` : undefined,
  ];
}
