import { getTranslations } from "next-intl/server";

/** The workspace's one search box: any id a person has for a conversion, answered by /find. */
export async function ConversionSearch({ defaultValue = "" }: { defaultValue?: string }) {
  const t = await getTranslations("shell.search");
  return (
    <form method="get" action="/find" role="search" aria-label={t("form")} className="mr-auto flex w-full max-w-md items-center gap-2">
      <input
        name="q"
        type="search"
        required
        maxLength={128}
        defaultValue={defaultValue}
        aria-label={t("label")}
        placeholder={t("placeholder")}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
      />
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">{t("submit")}</button>
    </form>
  );
}
