"use client";

import * as Tooltip from "@radix-ui/react-tooltip";
import { useFormatter, useTranslations } from "next-intl";
import { aliasesOf, MACRO_ID_OWNERS, MACRO_NAMES } from "@/lib/tracking/macros";

/**
 * Every macro as a chip: the name inserts it, the "?" explains what it carries and names its
 * aliases; the two click ids say whose id they are. Names stay as written; what they carry is
 * said in the reader's language.
 */
export function MacroPalette({ onInsert }: { onInsert: (macro: string) => void }) {
  const t = useTranslations();
  const format = useFormatter();
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-3">
      <p className="mb-2 text-xs font-medium text-slate-600">{t("macroPalette.title")}</p>
      <ul className="flex flex-wrap gap-1.5" aria-label={t("macroPalette.list")}>
        {MACRO_NAMES.map((name) => {
          const owner = MACRO_ID_OWNERS[name];
          const aliases = aliasesOf(name);
          return (
            <li key={name} className="inline-flex items-center rounded-md border border-slate-200 bg-white text-xs">
              <button
                type="button"
                className="rounded-l-md px-2 py-1 font-mono text-slate-700 hover:bg-brand-50 hover:text-brand-700"
                onMouseDown={(e) => e.preventDefault()} // keep the caret in the field
                onClick={() => onInsert(`{${name}}`)}
              >
                {`{${name}}`}
              </button>
              {owner ? <span className="border-l border-slate-200 px-1.5 py-1 text-slate-500">{t(`macroPalette.owners.${owner}`)}</span> : null}
              <Tooltip.Root>
                <Tooltip.Trigger asChild>
                  <button
                    type="button"
                    aria-label={t("macroPalette.whatCarries", { macro: `{${name}}` })}
                    className="rounded-r-md border-l border-slate-200 px-1.5 py-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700"
                    onMouseDown={(e) => e.preventDefault()}
                  >
                    ?
                  </button>
                </Tooltip.Trigger>
                <Tooltip.Portal>
                  <Tooltip.Content side="top" sideOffset={4} className="max-w-xs rounded-md bg-slate-900 px-2.5 py-1.5 text-xs text-white shadow-lg">
                    {t(`macroPalette.descriptions.${name}`)}
                    {aliases.length > 0
                      ? ` ${t("macroPalette.aliases", { aliases: format.list(aliases.map((alias) => `{${alias}}`), { type: "disjunction" }) })}`
                      : null}
                    <Tooltip.Arrow className="fill-slate-900" />
                  </Tooltip.Content>
                </Tooltip.Portal>
              </Tooltip.Root>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
