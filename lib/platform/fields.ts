import { z } from "zod";
import { localizable } from "@/lib/platform/error-messages";

/*
 * Fields that read both what a form sends (strings; an unchecked box sends nothing) and what a
 * JSON client sends (numbers, booleans, null, arrays), so that a server action and the API parse
 * with one schema. A value of the wrong kind is refused with the field's message, never read as
 * "no" or zero.
 */

/** A checkbox or a boolean. Absent means what the caller's `.default()` says. */
export const flag = z.preprocess(
  (v) => (v === "on" || v === "true" || v === "1" ? true : v === "false" || v === "0" || v === "" ? false : v),
  z.boolean({ error: localizable("errors.form.yesOrNo") }),
);

const AMOUNT = /^\d{1,10}(\.\d{1,4})?$/;

/** A non-negative amount with up to 4 decimals, as the string numeric(14,4) keeps: "12.50" from a form, 12.5 from JSON. */
export const amount = (message = localizable("errors.form.amount")) =>
  z
    .preprocess((v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v), z.string({ error: message }).trim().regex(AMOUNT, message))
    .meta({ override: { type: ["string", "number"], description: "A non-negative amount with up to 4 decimals: 12.5 or \"12.50\"." } });

/** An amount that may be left blank (`""`, null or absent): undefined then. */
export const optionalAmount = (message?: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), amount(message).optional()).meta({ override: { type: ["string", "number", "null"] } });

const RATE = /^\d{1,10}(\.\d{1,10})?$/;

/** A positive exchange rate with up to 10 decimals (numeric(20,10)): "1.08" from a form, 1.08 from JSON. */
export const exchangeRate = () =>
  z
    .preprocess((v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v), z.string({ error: localizable("errors.form.exchangeRate") }).trim().regex(RATE, localizable("errors.form.exchangeRate")))
    .refine((v) => Number(v) > 0, localizable("errors.form.exchangeRate"))
    .meta({ override: { type: ["string", "number"], description: "A positive rate with up to 10 decimals: 1.08 or \"1.08\"." } });

/** An ISO 4217 currency code in any case, kept upper-case. */
export const currencyCode = () =>
  z
    .string({ error: localizable("errors.form.currency") })
    .trim()
    .regex(/^[A-Za-z]{3}$/, localizable("errors.form.currency"))
    .transform((v) => v.toUpperCase());

/** A whole number from a form's text or JSON; `true` or `"12abc"` is refused, not read as 1 or 12. */
export const wholeNumber = (min: number, max: number, messages: { min?: string; max?: string } = {}) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v),
    z
      .number({ error: localizable("errors.form.wholeNumber") })
      .int(localizable("errors.form.wholeNumber"))
      .min(min, messages.min)
      .max(max, messages.max),
  );

/** A whole number that may be left blank (`""`, null or absent): null then. */
export const optionalWholeNumber = (min: number, max: number, messages?: { min?: string; max?: string }) =>
  z
    .preprocess((v) => (v === "" || v === null ? undefined : v), wholeNumber(min, max, messages).optional())
    .transform((v) => v ?? null)
    .meta({ override: { type: ["integer", "null"] } });

/** Text that may be left blank (`""`, null or absent): null then. */
export const optionalText = (max: number) =>
  z
    .preprocess((v) => (v === null ? undefined : v), z.string().trim().max(max).optional())
    .transform((v) => v || null)
    .meta({ override: { type: ["string", "null"] } });

/** Words separated by commas, spaces or lines (a form's text), or an array of them (JSON). */
export const wordList = (max: number) =>
  z
    .preprocess(
      (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v === null || v === undefined ? [] : v),
      z.array(z.string().trim().min(1).max(200)).max(max),
    )
    .meta({ override: { type: ["array", "string"], items: { type: "string" }, description: "An array, or the items separated by commas, spaces or lines." } });
