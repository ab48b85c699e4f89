import { LOCALES, type Locale } from "@/db/schema";

export { LOCALES, type Locale };

export const DEFAULT_LOCALE: Locale = "en";
/** The browser's choice, for the sign-in page and for users who have not saved one. */
export const LOCALE_COOKIE = "NEXT_LOCALE";

/** The names each language is shown by in the switch: its own, so a reader finds it whatever the page's language. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", ru: "Русский", ko: "한국어", zh: "中文", ja: "日本語" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best of our languages for an `Accept-Language` header: ranges by their q weight (ties keep
 * the header's order), each matched on its primary subtag (`zh-TW` and `zh-Hans-CN` are `zh`);
 * `*` or nothing we have gives null.
 */
export function negotiateLocale(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranges = header
    .split(",")
    .map((part, order) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { primary: tag.trim().toLowerCase().split("-")[0] ?? "", weight: Number.isFinite(weight) ? weight : 0, order };
    })
    .filter((range) => range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  return ranges.map((range) => range.primary).find(isLocale) ?? null;
}

/** The signed-in user's saved language wins, then the browser's cookie, then its Accept-Language, then English. */
export function resolveLocale(sources: { saved?: string | null; cookie?: string | null; acceptLanguage?: string | null }): Locale {
  if (isLocale(sources.saved)) return sources.saved;
  if (isLocale(sources.cookie)) return sources.cookie;
  return negotiateLocale(sources.acceptLanguage) ?? DEFAULT_LOCALE;
}


/** The switch's menu, each language in its own name. */
export const LANGUAGES = LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] }));
