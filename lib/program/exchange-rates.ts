import { and, asc, desc, eq, or, sql } from "drizzle-orm";
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
    // One rate per pair either way round: two setters of EUR→USD and USD→EUR at once would each
    // find no inverse to delete, so a network's setters take turns.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`exchange-rates:${networkId}`}))`);
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

/** How one `from` turns into `to` for the network: its rate for the pair, or the other way's divided by; null without either. */
export async function rateBetween(db: Executor, networkId: string, from: string, to: string): Promise<Rate | null> {
  const [row] = await db
    .select({ fromCurrency: exchangeRates.fromCurrency, rate: exchangeRates.rate })
    .from(exchangeRates)
    .where(and(eq(exchangeRates.networkId, networkId), or(and(eq(exchangeRates.fromCurrency, from), eq(exchangeRates.toCurrency, to)), and(eq(exchangeRates.fromCurrency, to), eq(exchangeRates.toCurrency, from)))))
    .orderBy(desc(exchangeRates.updatedAt))
    .limit(1);
  return row ? { rate: row.rate, divide: row.fromCurrency !== from } : null;
}

type Rate = { rate: string; divide: boolean };

/** Digits of a decimal string scaled to `scale` places, as an integer (exact: no floating point). */
function scaled(value: string, scale: number): bigint {
  const [whole, fraction = ""] = value.trim().split(".");
  return BigInt(whole + fraction.padEnd(scale, "0").slice(0, scale));
}

/** An amount (4 decimals) times or divided by a rate (10 decimals), rounded half up to 4 decimals, as numeric(14,4) keeps it. */
export function convertAmount(amount: string, { rate, divide }: Rate): string {
  const a = scaled(amount, 4);
  const r = scaled(rate, 10);
  // Times: a·r has 14 decimals, divided by 10^10. Divided: a·10^10/r keeps 4.
  const [numerator, denominator] = divide ? [a * 10n ** 10n, r] : [a * r, 10n ** 10n];
  const units = (2n * numerator + denominator) / (2n * denominator);
  const text = units.toString().padStart(5, "0");
  return `${text.slice(0, -4)}.${text.slice(-4)}`;
}

/** The keys Postline writes into a conversion's details: never taken from what a postback or a lead sends. */
export function isNotedDetail(key: string): boolean {
  return key.startsWith("original_") || key === "sale_currency";
}

type Priced = { payout?: string; revenue?: string; saleAmount?: string; currency?: string; details: Record<string, string> };

/**
 * A merchant's amounts in the offer's currency. `sentAmounts`: whether its payout or revenue may set
 * the conversion's (else only a sale amount is its own). Converted where the network has a rate,
 * the amounts as sent kept in the details; otherwise `asSent`'s rule.
 */
export async function inOfferCurrency<T extends Priced>(db: Executor, networkId: string, offerCurrency: string, request: T, sentAmounts: boolean): Promise<T> {
  const currency = request.currency;
  if (!currency || currency === offerCurrency) return asSent(request, sentAmounts);
  const fields = (["payout", "revenue", "saleAmount"] as const).filter((f) => request[f] !== undefined && (f === "saleAmount" || sentAmounts));
  if (fields.length === 0) return asSent(request, sentAmounts);
  const rate = await rateBetween(db, networkId, currency, offerCurrency);
  if (!rate) return asSent(request, sentAmounts);
  const converted: Partial<Priced> = { currency: offerCurrency };
  const original: Record<string, string> = { original_currency: currency };
  for (const field of fields) {
    const name = field === "saleAmount" ? "sale_amount" : field;
    const value = convertAmount(request[field]!, rate);
    // An amount column holds 10 digits before the point: past that the write would fail.
    if (value.length > 15) throw new AppError("invalid_input", "errors.incoming.amountTooLargeConverted", { field: name, detailCode: "invalid_parameter", values: { field: name, currency: offerCurrency } });
    converted[field] = value;
    original[`original_${name}`] = request[field]!;
  }
  return { ...request, ...converted, details: { ...request.details, ...original } };
}

/**
 * Amounts kept as sent: a currency labels the payout or revenue the merchant sent, never the
 * offer's defaults it did not; a sale amount alone keeps the offer's currency and notes its own.
 */
export function asSent<T extends Priced>(request: T, sentAmounts: boolean): T {
  const currency = request.currency;
  if (!currency) return request;
  if (sentAmounts && (request.payout !== undefined || request.revenue !== undefined)) return request;
  const noted = request.saleAmount !== undefined ? { sale_currency: currency } : {};
  return { ...request, currency: undefined, details: { ...request.details, ...noted } };
}

/** The amounts a converted conversion was sent with (`inOfferCurrency` kept them in its details); null when none was converted. */
export function amountsAsSent(details: Record<string, string>) {
  const currency = details.original_currency;
  if (!currency) return null;
  return { currency, payout: details.original_payout ?? null, revenue: details.original_revenue ?? null, saleAmount: details.original_sale_amount ?? null };
}
