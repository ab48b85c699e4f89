"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import type { ActionResult } from "@/lib/access/action";

/** The language menu: each language in its own name; the page re-renders in the chosen one. */
export function LocaleSwitch<L extends string>({
  languages,
  action,
}: {
  languages: { code: L; name: string }[];
  action: (input: { locale: L }) => Promise<ActionResult>;
}) {
  const t = useTranslations("common");
  const locale = useLocale();
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <select
      aria-label={t("language")}
      data-testid="locale-switch"
      value={locale}
      disabled={pending}
      onChange={(event) => {
        const next = languages.find(({ code }) => code === event.currentTarget.value)?.code;
        if (!next) return;
        start(async () => {
          const result = await action({ locale: next });
          if (result.ok) router.refresh();
        });
      }}
      className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-700"
    >
      {languages.map(({ code, name }) => (
        <option key={code} value={code} lang={code}>
          {name}
        </option>
      ))}
    </select>
  );
}
