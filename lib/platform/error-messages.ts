import { createTranslator } from "next-intl";
import type { z } from "zod";
import en from "@/messages/en/errors.json";
import ja from "@/messages/ja/errors.json";
import ko from "@/messages/ko/errors.json";
import ru from "@/messages/ru/errors.json";
import zh from "@/messages/zh/errors.json";
import { DEFAULT_LOCALE, type Locale } from "./locale";

/*
 * Error and validation messages in the reader's language. Codes and fields never change; only the
 * sentence does. Errors carry a catalogue key and its values, and the edge that answers (the action
 * wrapper, the API, the postback endpoint) renders them in its reader's language. Everything else
 * (logs, `error.message`) keeps English, the machines' language.
 */

type Catalogue = typeof en;
type KeysOf<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : KeysOf<T[K], `${P}${K}.`>;
}[keyof T & string];

/** A message of the `errors` area, named whole (`"errors.notFound.postback"`). */
export type ErrorKey = KeysOf<Catalogue>;
export type MessageValues = Record<string, string | number>;

const CATALOGUES: Record<Locale, Catalogue> = { en, ru, ko, zh, ja };
const KEY = /^(errors|validation)\.[\w.]+$/;

// One translator per language for the process: it keeps each message compiled after its first use.
const translators = new Map<Locale, (key: ErrorKey, values?: MessageValues) => string>();

function translatorFor(locale: Locale) {
  let t = translators.get(locale);
  if (!t) {
    const translate = createTranslator({ locale, messages: CATALOGUES[locale] });
    t = (key, values) => translate(key as never, values as never);
    translators.set(locale, t);
  }
  return t;
}

export function isErrorKey(text: string): text is ErrorKey {
  return KEY.test(text);
}

export function translateError(locale: Locale, key: ErrorKey, values?: MessageValues): string {
  return translatorFor(locale)(key, values);
}

// The English sentence of each static schema message, back to its key (see `localizable`).
const keysOfEnglish = new Map<string, ErrorKey>();

/**
 * A schema's own message (`z.string().min(1, localizable("errors.form.offerName"))`): the English
 * sentence, so a schema read outside a request still says it plainly, remembered with its key so
 * that an edge can give the reader the same message in their language. Static messages only: a
 * message with values goes through an AppError or a custom issue's `params`.
 */
export function localizable(key: ErrorKey): string {
  const text = translateError(DEFAULT_LOCALE, key);
  keysOfEnglish.set(text, key);
  return text;
}

/** A message as the reader reads it: a key or a remembered sentence translated, any other text as it is. */
export function localizeMessage(text: string, locale: Locale, values?: MessageValues): string {
  const key = isErrorKey(text) ? text : keysOfEnglish.get(text);
  return key ? translateError(locale, key, values) : text;
}

/**
 * zod's own issues (a field too short, a value not among the options) as keys of the `validation`
 * messages. Given per parse, never through `z.config`: requests in other languages run at once.
 */
export function issueKey(issue: z.core.$ZodRawIssue): ErrorKey {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "validation.required" : "validation.invalidType";
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "validation.required" : "validation.tooShort";
      if (issue.origin === "array" || issue.origin === "set") return "validation.tooFewItems";
      return issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint" ? "validation.numberTooSmall" : "validation.tooSmall";
    case "too_big":
      if (issue.origin === "string") return "validation.tooLong";
      if (issue.origin === "array" || issue.origin === "set") return "validation.tooManyItems";
      return issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint" ? "validation.numberTooBig" : "validation.tooBig";
    case "invalid_format":
      if (issue.format === "email") return "validation.invalidEmail";
      if (issue.format === "url") return "validation.invalidUrl";
      if (issue.format === "datetime") return "validation.invalidDatetime";
      return issue.format === "date" ? "validation.invalidDate" : "validation.invalidFormat";
    case "invalid_value":
      return "validation.invalidOption";
    case "not_multiple_of":
      return "validation.notMultipleOf";
    case "unrecognized_keys":
      return "validation.unrecognizedKey";
    default:
      return "validation.invalid";
  }
}

/** The values an issue's message names: its limits, options, divisor, or a custom issue's own (`params.values`). */
export function issueValues(issue: z.core.$ZodIssue): MessageValues {
  switch (issue.code) {
    case "invalid_type":
      return { expected: issue.expected };
    case "too_small":
      return { minimum: Number(issue.minimum), inclusive: String(issue.inclusive ?? true) };
    case "too_big":
      return { maximum: Number(issue.maximum), inclusive: String(issue.inclusive ?? true) };
    case "invalid_value":
      return { options: issue.values.map(String).join(", ") };
    case "not_multiple_of":
      return { divisor: Number(issue.divisor) };
    case "unrecognized_keys":
      return { key: issue.keys[0] ?? "" };
    case "custom":
      return (issue.params?.values as MessageValues | undefined) ?? {};
    default:
      return {};
  }
}

/**
 * A custom issue whose message takes values (`ctx.addIssue(customIssue("errors.form.headerControl", { name }))`):
 * English in `message`, the key and values in `params` for the edge to translate.
 */
export function customIssue(key: ErrorKey, values: MessageValues = {}, path?: PropertyKey[]) {
  return { code: "custom" as const, message: translateError(DEFAULT_LOCALE, key, values), params: { key, values }, ...(path ? { path } : {}) };
}

/** The catalogue key and values behind an issue's message, when it has one. */
export function issueKeyOf(issue: z.core.$ZodIssue): ErrorKey | undefined {
  const given = issue.code === "custom" ? issue.params?.key : undefined;
  if (typeof given === "string" && isErrorKey(given)) return given;
  return isErrorKey(issue.message) ? issue.message : keysOfEnglish.get(issue.message);
}

/** An issue's message in the reader's language. */
export function issueMessage(issue: z.core.$ZodIssue, locale: Locale): string {
  const key = issueKeyOf(issue);
  return key ? translateError(locale, key, issueValues(issue)) : issue.message;
}
