import { and, asc, eq, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { exchangeRates } from "@/db/schema";
import { localizable } from "@/lib/platform/error-messages";
import { AppError } from "@/lib/platform/errors";
import { currencyCode, exchangeRate } from "@/lib/platform/fields";
import { createId } from "@/lib/platform/ids";

/*
 * A network's exchange rates. Amounts a merchant sends in another currency than the offer's are
 * converted into the offer's as they arrive, so caps, stats and payouts add like with like; the
 * amounts as sent stay in the conversion's details. Without a rate for the pair they are kept as
 * sent, labelled with their currency.
 */

export const exchangeRateInputSchema = z
  .object({ fromCurrency: currencyCode(), toCurrency: currencyCode(), rate: exchangeRate() })
  .refine((r) => r.fromCurrency !== r.toCurrency, { message: localizable("errors.program.sameCurrency"), path: ["toCurrency"] });

export async function listExchangeRates(db: Executor, networkId: string) {
  return db.select().from(exchangeRates).where(eq(exchangeRates.networkId, networkId)).orderBy(asc(exchangeRates.fromCurrency), asc(exchangeRates.toCurrency));
}

/** Sets the rate of a pair, replacing the one it had; the inverse pair, if set, goes (one rate per pair, either way round). */
export async function setExchangeRate(db: Executor, networkId: string, input: z.output<typeof exchangeRateInputSchema>) {
  return db.transaction(async (tx) => {
    await tx.delete(exchangeRates).where(and(eq(exchangeRates.networkId, networkId), eq(exchangeRates.fromCurrency, input.toCurrency), eq(exchangeRates.toCurrency, input.fromCurrency)));
    const [row] = await tx
      .insert(exchangeRates)
      .values({ id: createId("exchangeRate"), networkId, ...input })
      .onConflictDoUpdate({ target: [exchangeRates.networkId, exchangeRates.fromCurrency, exchangeRates.toCurrency], set: { rate: input.rate, updatedAt: sql`now()` } })
      .returning();
    return row;
  });
}

/** Another network's rate, or none, is "not found". */
export async function removeExchangeRate(db: Executor, networkId: string, id: string) {
  const [row] = await db.delete(exchangeRates).where(and(eq(exchangeRates.id, id), eq(exchangeRates.networkId, networkId))).returning({ id: exchangeRates.id });
  if (!row) throw new AppError("not_found", "errors.notFound.exchangeRate");
}

/** What one `from` is worth in `to` for the network: its rate for the pair, or the inverse of the other way's; null without either. */
export async function rateBetween(db: Executor, networkId: string, from: string, to: string): Promise<number | null> {
  const [row] = await db
    .select({ fromCurrency: exchangeRates.fromCurrency, rate: exchangeRates.rate })
    .from(exchangeRates)
    .where(and(eq(exchangeRates.networkId, networkId), or(and(eq(exchangeRates.fromCurrency, from), eq(exchangeRates.toCurrency, to)), and(eq(exchangeRates.fromCurrency, to), eq(exchangeRates.toCurrency, from)))));
  if (!row) return null;
  return row.fromCurrency === from ? Number(row.rate) : 1 / Number(row.rate);
}

type Priced = { payout?: string; revenue?: string; saleAmount?: string; currency?: string; details: Record<string, string> };

/**
 * A merchant's amounts in the offer's currency. `sentAmounts`: whether its payout or revenue may set
 * the conversion's (else only a sale amount is its own). Converted where the network has a rate,
 * the amounts as sent kept in the details; otherwise a sent payout or revenue keeps its currency
 * (the conversion is in it) and a sale amount alone is noted with its own.
 */
export async function inOfferCurrency<T extends Priced>(db: Executor, networkId: string, offerCurrency: string, request: T, sentAmounts: boolean): Promise<T> {
  const currency = request.currency;
  if (!currency) return request;
  if (currency === offerCurrency) return { ...request, currency: sentAmounts ? currency : undefined };
  const fields = (["payout", "revenue", "saleAmount"] as const).filter((f) => request[f] !== undefined && (f === "saleAmount" || sentAmounts));
  if (fields.length === 0) return { ...request, currency: undefined };
  const rate = await rateBetween(db, networkId, currency, offerCurrency);
  if (rate === null) {
    return sentAmounts && (request.payout !== undefined || request.revenue !== undefined)
      ? request
      : { ...request, currency: undefined, details: { ...request.details, sale_currency: currency } };
  }
  const converted: Partial<Priced> = { currency: offerCurrency };
  const original: Record<string, string> = { original_currency: currency };
  for (const field of fields) {
    converted[field] = (Number(request[field]) * rate).toFixed(4);
    original[`original_${field === "saleAmount" ? "sale_amount" : field}`] = request[field]!;
  }
  return { ...request, ...converted, details: { ...request.details, ...original } };
}

/** The amounts a converted conversion was sent with (`inOfferCurrency` kept them in its details); null when none was converted. */
export function amountsAsSent(details: Record<string, string>) {
  const currency = details.original_currency;
  if (!currency) return null;
  return { currency, payout: details.original_payout ?? null, revenue: details.original_revenue ?? null, saleAmount: details.original_sale_amount ?? null };
}
