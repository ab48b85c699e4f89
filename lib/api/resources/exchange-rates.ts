import { z } from "zod";
import type { ExchangeRate } from "@/db/schema";
import { exchangeRateInputSchema, listExchangeRates, removeExchangeRate, setExchangeRate } from "@/lib/program/exchange-rates";
import { operation } from "../operation";
import { id, okSchema, timestamp } from "../schemas";
import { onlyFor } from "./common";

const exchangeRateSchema = z
  .object({
    id: id("The rate's id."),
    fromCurrency: z.string().meta({ description: "ISO 4217 code: one unit of it is worth `rate` of toCurrency." }),
    toCurrency: z.string().meta({ description: "ISO 4217 code." }),
    rate: z.number(),
    updatedAt: timestamp,
  })
  .meta({ id: "ExchangeRate" });

const view = (row: ExchangeRate) => ({ id: row.id, fromCurrency: row.fromCurrency, toCurrency: row.toCurrency, rate: Number(row.rate), updatedAt: row.updatedAt });

/** A network's exchange rates: the same functions and schema as the network home's form. */
export const exchangeRateOperations = [
  operation({
    id: "listExchangeRates",
    method: "get",
    path: "/exchange-rates",
    tag: "Exchange rates",
    summary: "List your exchange rates (networks)",
    description: "Amounts a merchant sends in another currency than the offer's are converted with these as they arrive (a pair's rate, or the inverse of the other way's); the amounts as sent stay in the conversion's details.",
    permission: "offers:read",
    response: z.object({ data: z.array(exchangeRateSchema) }),
    handler: async (_input, { db, principal }) => {
      onlyFor(principal, "network");
      return { data: (await listExchangeRates(db, principal.orgId)).map(view) };
    },
  }),
  operation({
    id: "setExchangeRate",
    method: "post",
    path: "/exchange-rates",
    tag: "Exchange rates",
    summary: "Set the rate of a currency pair (networks)",
    description: "Replaces the pair's rate, and the inverse pair's if that was set: one rate per pair, either way round. Conversions already made keep their amounts.",
    permission: "offers:write",
    body: exchangeRateInputSchema,
    response: exchangeRateSchema,
    handler: async ({ body }, { db, principal }) => {
      onlyFor(principal, "network");
      return view(await setExchangeRate(db, principal.orgId, body));
    },
  }),
  operation({
    id: "removeExchangeRate",
    method: "delete",
    path: "/exchange-rates/{rateId}",
    tag: "Exchange rates",
    summary: "Remove an exchange rate (networks)",
    permission: "offers:write",
    params: z.object({ rateId: id("The rate's id.") }),
    response: okSchema,
    handler: async ({ params }, { db, principal }) => {
      onlyFor(principal, "network");
      await removeExchangeRate(db, principal.orgId, params.rateId);
      return { ok: true as const };
    },
  }),
];
