import type { ErrorKey, MessageValues } from "@/lib/platform/error-messages";
import { AppError } from "@/lib/platform/errors";
import { isNotedDetail } from "@/lib/program/exchange-rates";

/**
 * The parameters an incoming postback may carry, each under its canonical name and the aliases
 * merchants' and networks' docs use (TUNE and Everflow call the click id `transaction_id`;
 * Keitaro `subid`; Voluum `cid`). What each carries is said in the reader's language by the endpoint docs.
 */
export const INCOMING_PARAMETERS = {
  click_id: { aliases: ["click_id", "clickid", "cid", "subid", "sub_id", "transaction_id", "clk_id"] },
  txid: { aliases: ["txid", "tid", "tx_id", "order_id", "orderid", "action_id", "invoice_id"] },
  status: { aliases: ["status", "cnv_status", "conv_status", "conversion_status"] },
  payout: { aliases: ["payout", "commission"] },
  revenue: { aliases: ["revenue", "sum"] },
  sale_amount: { aliases: ["sale_amount", "amount", "order_amount", "total", "order_total"] },
  goal: { aliases: ["goal", "event", "goal_id", "goal_key", "adv_event_id", "action", "event_type"] },
  currency: { aliases: ["currency", "cur", "cnv_currency"] },
} as const;

export type IncomingParameter = keyof typeof INCOMING_PARAMETERS;

// Words that make a parameter's name a secret's: `access_token`, `apiKey`, `X-Api-Key`, `client_secret`, `auth`…
const SECRET_WORDS = new Set([
  "token", "accesstoken", "secret", "password", "passwd", "pwd", "pass", "key", "apikey", "signature", "sig", "sign", "hmac", "auth",
  "authorization", "credential", "credentials",
]);

/** Whether a parameter carries a secret, by the words of its name: masked in the log, kept out of a conversion's details. */
export function isSecretParameter(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return words.some((word) => SECRET_WORDS.has(word)) || SECRET_WORDS.has(words.join(""));
}

export type IncomingInput = {
  clickId: string;
  transactionId?: string;
  goalKey?: string;
  statusWord?: string;
  payout?: string;
  revenue?: string;
  saleAmount?: string;
  currency?: string;
  /** Free fields: every parameter the endpoint does not know, secrets left out. */
  details: Record<string, string>;
};

const CLICK_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const GOAL_KEY = /^[A-Za-z0-9_-]{1,40}$/;
const AMOUNT = /^\d{1,10}(\.\d{1,4})?$/;
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));
// Printable text without control characters.
const TEXT = /^[^\p{Cc}]+$/u;

/** One value per parameter: an alias beside its canonical name must agree with it. */
export function pickParameter(params: Record<string, string>, name: IncomingParameter): string | undefined {
  let found: { key: string; value: string } | undefined;
  for (const alias of INCOMING_PARAMETERS[name].aliases) {
    const value = params[alias];
    if (value === undefined || value === "") continue;
    if (found && found.value !== value) {
      throw new AppError("bad_request", "errors.incoming.conflictingAliases", {
        values: { key: found.key, alias, name },
        field: name,
        detailCode: "conflicting_parameters",
      });
    }
    found ??= { key: alias, value };
  }
  return found?.value;
}

function invalid(field: string, message: ErrorKey, values?: MessageValues): AppError {
  return new AppError("invalid_input", message, { field, detailCode: "invalid_parameter", values });
}

/** The one rule for a click id sent to us (postbacks and leads): what `createId` makes, and what trackers pass through. */
export function assertClickIdWellFormed(clickId: string): void {
  if (!CLICK_ID.test(clickId)) throw invalid("click_id", "errors.incoming.clickIdMalformed");
}

export function parseIncomingParams(params: Record<string, string>): IncomingInput {
  const clickId = pickParameter(params, "click_id");
  if (!clickId) {
    throw new AppError("bad_request", "errors.incoming.missingClickId", {
      field: "click_id",
      detailCode: "missing_parameter",
    });
  }
  assertClickIdWellFormed(clickId);

  const transactionId = pickParameter(params, "txid");
  if (transactionId !== undefined && (transactionId.length > 128 || !TEXT.test(transactionId))) {
    throw invalid("txid", "errors.incoming.txidInvalid");
  }
  const statusWord = pickParameter(params, "status");
  if (statusWord !== undefined && (statusWord.length > 64 || !TEXT.test(statusWord))) {
    throw invalid("status", "errors.incoming.statusInvalid");
  }
  const amount = (field: "payout" | "revenue" | "sale_amount") => {
    const value = pickParameter(params, field);
    if (value === undefined) return undefined;
    if (!AMOUNT.test(value.trim())) {
      throw invalid(field, "errors.incoming.amountInvalid", { field });
    }
    return value.trim();
  };
  const goalKey = pickParameter(params, "goal");
  if (goalKey !== undefined && !GOAL_KEY.test(goalKey)) throw invalid("goal", "errors.incoming.goalInvalid");
  const currency = pickParameter(params, "currency");
  if (currency !== undefined && !CURRENCIES.has(currency.toUpperCase())) {
    throw invalid("currency", "errors.incoming.currencyInvalid");
  }

  return {
    clickId,
    transactionId,
    goalKey,
    statusWord,
    payout: amount("payout"),
    revenue: amount("revenue"),
    saleAmount: amount("sale_amount"),
    currency: currency?.toUpperCase(),
    details: freeFields(params, KNOWN_INCOMING_KEYS),
  };
}

const MAX_LOGGED_PARAMS = 64;
const MAX_LOGGED_VALUE = 512;

/** What the log keeps of a request's parameters: secrets masked, values and count bounded. */
export function paramsForLog(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params).slice(0, MAX_LOGGED_PARAMS)) {
    const safeKey = storableText(key.slice(0, 64));
    out[safeKey] = isSecretParameter(key) ? "••••" : storableText(value.slice(0, MAX_LOGGED_VALUE));
  }
  return out;
}

/**
 * Postgres text cannot hold U+0000 and jsonb refuses a lone surrogate escape; the log keeps a
 * visible stand-in (U+FFFD) for either, so a hostile request is still logged.
 */
export function storableText(value: string): string {
  return value.toWellFormed().replaceAll("\u0000", "\uFFFD");
}

/** The parameters outside `known` and the secrets, bounded like the log's: kept with the conversion. */
export function freeFields(params: Record<string, string>, known: readonly string[]): Record<string, string> {
  const knownSet = new Set(known);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(paramsForLog(params))) {
    // Postline's own notes (the amounts as sent before an exchange rate) are never taken from a sender.
    if (!knownSet.has(key) && !isSecretParameter(key) && !isNotedDetail(key)) out[key] = value;
  }
  return out;
}

/** Every alias of every known incoming parameter, plus the signing parameters. */
export const KNOWN_INCOMING_KEYS: readonly string[] = [
  ...Object.values(INCOMING_PARAMETERS).flatMap((p) => p.aliases),
  "timestamp",
];
