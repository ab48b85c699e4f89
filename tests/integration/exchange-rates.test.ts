import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { capCounters, conversions, exchangeRates as exchangeRatesTable } from "@/db/schema";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import { addCap } from "@/lib/program/manage";
import { conversionTimeline } from "@/lib/conversions/timeline";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest, type World } from "../helpers/world";
import { apiClient } from "../helpers/api";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

async function convert(world: World, params: Record<string, string>) {
  const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: await world.click(), status: "paid", ...params }), world.endpointId);
  const body = await response.json();
  expect(response.status).toBe(200);
  const [row] = await handle.db.select().from(conversions).where(eq(conversions.id, body.conversion_id));
  return row;
}

describe(`exchange rates (${testDriver})`, () => {
  it("converts a merchant's amounts in another currency into the offer's, keeping the amounts as sent, so caps add like with like", async () => {
    const world = await createWorld(handle.db, { offer: { currency: "USD", payoutKind: "percent", defaultPayout: "10" } });
    const network = await apiClient(handle.db, world.networkId);
    const set = await network.post("/exchange-rates", { fromCurrency: "eur", toCurrency: "USD", rate: 1.1 });
    expect(set).toMatchObject({ status: 200, body: { fromCurrency: "EUR", toCurrency: "USD", rate: 1.1 } });
    const capId = await addCap(handle.db, world.networkId, world.offerId, { goalKey: null, affiliateId: null, period: "day", metric: "payout", capLimit: "1000", action: "reject" });

    // A sale of 100 EUR is 110 USD: the offer's 10% of it is 11 USD.
    const sale = await convert(world, { sale_amount: "100", currency: "EUR" });
    expect(sale).toMatchObject({ currency: "USD", saleAmount: "110.0000", payout: "11.0000", details: { original_currency: "EUR", original_sale_amount: "100" } });
    // A payout the merchant sends in EUR is converted too.
    const sent = await convert(world, { payout: "5", currency: "EUR" });
    expect(sent).toMatchObject({ currency: "USD", payout: "5.5000", details: { original_currency: "EUR", original_payout: "5" } });
    expect((await handle.db.select().from(capCounters).where(eq(capCounters.capId, capId)))[0].used).toBe("16.5000");
    // The timeline shows each party the amounts as sent that it may read.
    const sentAs = async (orgId: string, orgKind: "network" | "affiliate" | "merchant", id: string) => (await conversionTimeline(handle.db, { orgId, orgKind }, id)).conversion.sentAs;
    expect(await sentAs(world.networkId, "network", sale.id)).toEqual({ currency: "EUR", payout: null, revenue: null, saleAmount: "100" });
    const both = await convert(world, { payout: "5", revenue: "7", currency: "EUR" });
    expect(await sentAs(world.networkId, "network", both.id)).toEqual({ currency: "EUR", payout: "5", revenue: "7", saleAmount: null });
    expect(await sentAs(world.affiliateId, "affiliate", both.id)).toEqual({ currency: "EUR", payout: "5", revenue: null, saleAmount: null });
    expect(await sentAs(world.merchantId, "merchant", both.id)).toEqual({ currency: "EUR", payout: null, revenue: "7", saleAmount: null });
    // The merchant never reads a payout: a conversion of which only that was converted shows it nothing.
    expect(await sentAs(world.merchantId, "merchant", sent.id)).toBeNull();
    expect(await sentAs(world.networkId, "network", (await convert(world, { payout: "5" })).id)).toBeNull();

    // The inverse pair replaces the rate, and reads both ways: 1 USD = 0.5 EUR, so 1 EUR = 2 USD.
    expect(await network.post("/exchange-rates", { fromCurrency: "USD", toCurrency: "EUR", rate: "0.5" })).toMatchObject({ status: 200 });
    expect((await network.get("/exchange-rates")).body.data).toEqual([expect.objectContaining({ fromCurrency: "USD", toCurrency: "EUR", rate: 0.5 })]);
    expect(await convert(world, { payout: "5", currency: "eur" })).toMatchObject({ currency: "USD", payout: "10.0000" });

    // Without a rate for the pair the amounts stay as sent: a payout in its currency, a sale amount noted with its own.
    expect(await convert(world, { payout: "5", currency: "GBP" })).toMatchObject({ currency: "GBP", payout: "5.0000" });
    expect(await convert(world, { sale_amount: "100", currency: "GBP" })).toMatchObject({ currency: "USD", saleAmount: "100.0000", payout: "10.0000", details: { sale_currency: "GBP" } });
    // An amount too large for the column once converted is refused on its field, nothing written.
    const huge = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: await world.click(), status: "paid", payout: "9999999999", currency: "EUR" }), world.endpointId);
    expect(huge.status).toBe(422);
    expect((await huge.json()).error).toMatchObject({ code: "invalid_parameter", field: "payout", message: "The payout is too large once converted into the offer's currency (USD)." });
    // The offer's own currency needs no rate.
    expect(await convert(world, { payout: "5", currency: "USD" })).toMatchObject({ currency: "USD", payout: "5.0000", details: {} });
  });

  it("converts the amounts a later status brings, keeps a conversion made in another currency in it, and never takes its notes from the sender", async () => {
    const world = await createWorld(handle.db, { offer: { currency: "USD", payoutKind: "percent", defaultPayout: "10" } });
    const network = await apiClient(handle.db, world.networkId);
    const update = async (clickId: string, params: Record<string, string>) => {
      const response = await handleIncomingPostback(handle.db, postbackRequest(world.endpointId, { token: world.secret, click_id: clickId, ...params }), world.endpointId);
      expect(response.status).toBe(200);
      return (await handle.db.select().from(conversions).where(eq(conversions.id, (await response.json()).conversion_id)))[0];
    };
    // Made in pounds before the network had a rate: a status-only postback naming dollars does not relabel it.
    const pounds = await world.click();
    expect(await update(pounds, { status: "reg", payout: "10", currency: "GBP" })).toMatchObject({ currency: "GBP", payout: "10.0000" });
    await network.post("/exchange-rates", { fromCurrency: "GBP", toCurrency: "USD", rate: 1.25 });
    expect(await update(pounds, { status: "paid", currency: "USD" })).toMatchObject({ status: "approved", currency: "GBP", payout: "10.0000" });
    // Nor does a later sale in pounds, now that a rate exists: its 10% stays in pounds beside the rest.
    const laterSale = await world.click();
    await handle.db.delete(exchangeRatesTable).where(eq(exchangeRatesTable.networkId, world.networkId));
    expect(await update(laterSale, { status: "reg", payout: "10", currency: "GBP" })).toMatchObject({ currency: "GBP" });
    await network.post("/exchange-rates", { fromCurrency: "GBP", toCurrency: "USD", rate: 1.25 });
    await network.post("/exchange-rates", { fromCurrency: "EUR", toCurrency: "USD", rate: 1.1 });
    const sale = await update(laterSale, { status: "paid", sale_amount: "40", currency: "GBP" });
    expect(sale).toMatchObject({ currency: "GBP", saleAmount: "40.0000", payout: "4.0000" });
    expect(sale.details).not.toHaveProperty("original_currency");

    // A lead in dollars whose sale comes in euros: the sale is converted, and the timeline shows it as sent.
    const lead = await world.click();
    await update(lead, { status: "reg" });
    const sold = await update(lead, { status: "paid", sale_amount: "100", currency: "EUR" });
    expect(sold).toMatchObject({ currency: "USD", saleAmount: "110.0000", payout: "11.0000", details: { original_currency: "EUR", original_sale_amount: "100" } });
    expect((await conversionTimeline(handle.db, { orgId: world.networkId, orgKind: "network" }, sold.id)).conversion.sentAs).toMatchObject({ currency: "EUR", saleAmount: "100" });

    // What a postback sends under Postline's own note names is not kept.
    const forged = await convert(world, { payout: "5", original_currency: "EUR", original_revenue: "500", sale_currency: "JPY", note: "kept" });
    expect(forged.details).toEqual({ note: "kept" });
    expect((await conversionTimeline(handle.db, { orgId: world.networkId, orgKind: "network" }, forged.id)).conversion.sentAs).toBeNull();
  });

  it("refuses a pair of one currency, a rate that is not positive and a code that is not one, each on its field; another network's rate is not found", async () => {
    const world = await createWorld(handle.db);
    const network = await apiClient(handle.db, world.networkId);
    const refused = async (body: object) => (await network.post("/exchange-rates", body)).body.error;
    expect(await refused({ fromCurrency: "EUR", toCurrency: "eur", rate: 1 })).toMatchObject({ code: "invalid_input", field: "toCurrency", message: "The two currencies must differ." });
    expect(await refused({ fromCurrency: "EUR", toCurrency: "USD", rate: 0 })).toMatchObject({ field: "rate", message: "A positive number with up to 10 decimals, like 1.08." });
    expect(await refused({ fromCurrency: "EURO", toCurrency: "USD", rate: 1 })).toMatchObject({ field: "fromCurrency" });
    const { body: rate } = await network.post("/exchange-rates", { fromCurrency: "EUR", toCurrency: "USD", rate: 1.08 });

    const other = await createWorld(handle.db);
    const otherNetwork = await apiClient(handle.db, other.networkId);
    expect((await otherNetwork.delete(`/exchange-rates/${rate.id}`)).status).toBe(404);
    expect((await otherNetwork.get("/exchange-rates")).body.data).toEqual([]);
    expect((await (await apiClient(handle.db, world.affiliateId)).get("/exchange-rates")).status).toBe(404);
    expect((await network.delete(`/exchange-rates/${rate.id}`)).body).toEqual({ ok: true });
    expect((await network.get("/exchange-rates")).body.data).toEqual([]);
  });
});
