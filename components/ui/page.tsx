import type { ReactNode } from "react";

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex gap-2">{actions}</div> : null}
    </div>
  );
}

export function Card({ title, children, footer }: { title?: string; children: ReactNode; footer?: ReactNode }) {
  return (
    // min-w-0: as a flex or grid item, a card takes its track's width, never its widest table's.
    <section className="min-w-0 rounded-xl border border-slate-200 bg-white shadow-sm">
      {title ? <h2 className="border-b border-slate-100 px-5 py-3 text-sm font-semibold text-slate-700">{title}</h2> : null}
      <div className="min-w-0 p-5">{children}</div>
      {footer ? <div className="border-t border-slate-100 px-5 py-3 text-sm">{footer}</div> : null}
    </section>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

const BADGE_TONES = {
  neutral: "bg-slate-100 text-slate-700",
  good: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  warn: "bg-amber-50 text-amber-800 ring-amber-600/20",
  bad: "bg-red-50 text-red-700 ring-red-600/20",
  info: "bg-brand-50 text-brand-700 ring-brand-600/20",
} as const;

export type BadgeTone = keyof typeof BADGE_TONES;

export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: ReactNode }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ring-slate-500/10 ${BADGE_TONES[tone]}`}>
      {children}
    </span>
  );
}

/** What an empty list says: what it would hold, and what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-6 text-center">
      <p className="text-sm font-medium text-slate-700">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-500">{children}</div> : null}
    </div>
  );
}

/**
 * A table that fits its card or scrolls inside it, never past it. `pinLast` keeps the last column
 * (a row's controls) in view at the card's right edge while the rest scrolls.
 */
export function Table({ head, children, pinLast = false }: { head: string[]; children: ReactNode; pinLast?: boolean }) {
  return (
    <div className="-mx-5 overflow-x-auto" data-pin-last={pinLast || undefined}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={`${h}-${i}`} scope="col" className={`px-5 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 ${pinLast && i === head.length - 1 ? PINNED : ""}`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

const PINNED = "sticky right-0 bg-white shadow-[-8px_0_8px_-8px_rgb(0_0_0/0.15)]";

/**
 * One cell. `wrap` lets long text (an error, a reason) wrap within a bounded width instead of
 * widening the table; `truncate` cuts an id to one line, whole on hover; `pinned` goes with `pinLast`.
 */
export function Cell({ children, mono = false, wrap = false, truncate, pinned = false }: { children: ReactNode; mono?: boolean; wrap?: boolean; truncate?: string; pinned?: boolean }) {
  const layout = wrap ? "min-w-48 max-w-md break-words" : truncate ? "max-w-[12rem] truncate whitespace-nowrap" : "whitespace-nowrap";
  return (
    <td className={`px-5 py-2.5 ${layout} ${mono ? "font-mono text-xs" : ""} ${pinned ? PINNED : ""}`} title={truncate}>
      {children}
    </td>
  );
}
