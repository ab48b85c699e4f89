"use client";

import * as Tooltip from "@radix-ui/react-tooltip";
import { aliasesOf, MACRO_ID_OWNERS, MACROS, type MacroName } from "@/lib/tracking/macros";

/**
 * Every macro as a chip: the name inserts it, the "?" explains what it carries and names its
 * aliases; the two click ids say whose id they are.
 */
export function MacroPalette({ onInsert }: { onInsert: (macro: string) => void }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 p-3">
      <p className="mb-2 text-xs font-medium text-slate-600">Macros — click one to insert it at the cursor</p>
      <ul className="flex flex-wrap gap-1.5" aria-label="Macros">
        {(Object.keys(MACROS) as MacroName[]).map((name) => (
          <li key={name} className="inline-flex items-center rounded-md border border-slate-200 bg-white text-xs">
            <button
              type="button"
              className="rounded-l-md px-2 py-1 font-mono text-slate-700 hover:bg-brand-50 hover:text-brand-700"
              onMouseDown={(e) => e.preventDefault()} // keep the caret in the field
              onClick={() => onInsert(`{${name}}`)}
            >
              {`{${name}}`}
            </button>
            {MACRO_ID_OWNERS[name] ? <span className="border-l border-slate-200 px-1.5 py-1 text-slate-500">{MACRO_ID_OWNERS[name]}</span> : null}
            <Tooltip.Root>
              <Tooltip.Trigger asChild>
                <button
                  type="button"
                  aria-label={`What {${name}} carries`}
                  className="rounded-r-md border-l border-slate-200 px-1.5 py-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700"
                  onMouseDown={(e) => e.preventDefault()}
                >
                  ?
                </button>
              </Tooltip.Trigger>
              <Tooltip.Portal>
                <Tooltip.Content side="top" sideOffset={4} className="max-w-xs rounded-md bg-slate-900 px-2.5 py-1.5 text-xs text-white shadow-lg">
                  {MACROS[name]}
                  {aliasesOf(name).length > 0 ? ` Also written ${aliasesOf(name).map((alias) => `{${alias}}`).join(", ")}.` : null}
                  <Tooltip.Arrow className="fill-slate-900" />
                </Tooltip.Content>
              </Tooltip.Portal>
            </Tooltip.Root>
          </li>
        ))}
      </ul>
    </div>
  );
}
