import { and, desc, eq, or, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type ConversionStatus, conversions, deliveries, offers } from "@/db/schema";
import type { Viewer } from "@/lib/access/users";
import { AppError } from "@/lib/platform/errors";

/** What a search term was found as: Postline's ids, the affiliate tracker's click id, the merchant's transaction id. */
export type MatchedBy = "conversion_id" | "click_id" | "aff_click_id" | "transaction_id" | "delivery_id";

export type ConversionMatch = {
  conversionId: string;
  matchedBy: MatchedBy[];
  status: ConversionStatus;
  offerName: string;
  clickId: string;
  transactionId: string | null;
  createdAt: string;
};

const MAX_TERM = 128;

/** The viewer's own conversions: a network's, a merchant's offers', an affiliate's. */
function conversionScope(viewer: Viewer): SQL {
  if (viewer.orgKind === "network") return eq(conversions.networkId, viewer.orgId);
  if (viewer.orgKind === "merchant") return eq(conversions.merchantId, viewer.orgId);
  if (viewer.orgKind === "affiliate") return eq(conversions.affiliateId, viewer.orgId);
  throw new AppError("not_found", "errors.notFound.conversionMatch");
}

/**
 * The viewer's conversions a term names exactly, as a conversion id, a click id, the affiliate
 * tracker's click id, a transaction id or a delivery id (one the viewer may read), newest first.
 * Each way is one index lookup (no pattern matching), so a search costs the same on any table size.
 */
export async function findConversions(db: Executor, viewer: Viewer, rawTerm: string, limit = 20): Promise<ConversionMatch[]> {
  const term = rawTerm.trim();
  if (!term) throw new AppError("invalid_input", "errors.conversions.findTermMissing", { field: "q" });
  if (term.length > MAX_TERM) throw new AppError("invalid_input", "errors.conversions.findTermTooLong", { field: "q", values: { max: MAX_TERM } });
  const scope = conversionScope(viewer);
  const columns = {
    conversionId: conversions.id,
    status: conversions.status,
    offerName: offers.name,
    clickId: conversions.clickId,
    transactionId: conversions.transactionId,
    createdAt: conversions.createdAt,
  };
  const base = () => db.select(columns).from(conversions).innerJoin(offers, eq(offers.id, conversions.offerId));
  const ways: [MatchedBy, PromiseLike<(Omit<ConversionMatch, "matchedBy" | "createdAt"> & { createdAt: Date })[]>][] = [
    ["conversion_id", base().where(and(scope, eq(conversions.id, term))).limit(1)],
    ["click_id", base().where(and(scope, eq(conversions.clickId, term))).orderBy(desc(conversions.createdAt)).limit(limit)],
    ["transaction_id", base().where(and(scope, eq(conversions.transactionId, term))).orderBy(desc(conversions.createdAt)).limit(limit)],
    [
      "aff_click_id",
      base().where(and(scope, eq(conversions.affClickId, term))).orderBy(desc(conversions.createdAt)).limit(limit),
    ],
    [
      "delivery_id",
      base()
        .innerJoin(deliveries, eq(deliveries.conversionId, conversions.id))
        .where(
          and(
            scope,
            eq(deliveries.id, term),
            // A delivery the viewer may read: the network any of its conversions', the others their own or those sent to them.
            viewer.orgKind === "network" ? undefined : or(eq(deliveries.ownerOrgId, viewer.orgId), eq(deliveries.recipientOrgId, viewer.orgId)),
          ),
        )
        .limit(1),
    ],
  ];
  const found = new Map<string, ConversionMatch>();
  for (const [matchedBy, rows] of await Promise.all(ways.map(async ([by, query]) => [by, await query] as const))) {
    for (const row of rows) {
      const known = found.get(row.conversionId);
      if (known) known.matchedBy.push(matchedBy);
      else found.set(row.conversionId, { ...row, createdAt: row.createdAt.toISOString(), matchedBy: [matchedBy] });
    }
  }
  return [...found.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).slice(0, limit);
}
