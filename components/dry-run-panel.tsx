import { useTranslations } from "next-intl";
import type { DiffPart, DryRunRow } from "@/lib/outgoing/postback-dry-run";
import { LocalTime } from "./local-time";
import { useStatusWord } from "./status-words";

/** The dry run's rows: per conversion, what the edited template would send beside what was sent, the difference marked. */
export function DryRunPanel({ rows }: { rows: DryRunRow[] }) {
  const t = useTranslations("dryRun");
  const statusLabel = useStatusWord();
  const changed = rows.filter((r) => r.changed).length;
  return (
    <section data-testid="dry-run" aria-live="polite" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <p className="font-medium">
        {rows.length === 0 ? t("empty") : t("summary", { count: rows.length, changed })}
      </p>
      <ol className="space-y-3">
        {rows.map((row) => (
          <li key={row.conversionId} data-testid="dry-run-row" data-conversion-id={row.conversionId} data-changed={row.changed} className="rounded-md border border-slate-200 p-3">
            <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
              <a href={`/conversions/${row.conversionId}`} className="font-mono text-brand-700 hover:underline">{row.conversionId}</a>
              <span>{statusLabel(row.status)} · <LocalTime iso={row.at} /></span>
              {row.sent ? (
                row.changed ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-800">{t("changes")}</span> : <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-emerald-700">{t("same")}</span>
              ) : (
                <span className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-600">{t("notSent")}</span>
              )}
            </p>
            {row.diff && row.sent ? (
              <div className="mt-2 grid gap-2 md:grid-cols-2">
                <div>
                  <p className="text-xs font-medium text-slate-500">{t.rich("sent", { attempt: row.sent.attemptNumber, time: () => <LocalTime iso={row.sent!.at} /> })}</p>
                  <RequestDiff testId="dry-run-sent" diff={row.diff} side="removed" />
                </div>
                <div>
                  <p className="text-xs font-medium text-slate-500">{t("wouldSend")}</p>
                  <RequestDiff testId="dry-run-rendered" diff={row.diff} side="added" />
                </div>
              </div>
            ) : (
              <div className="mt-2">
                <p className="text-xs font-medium text-slate-500">{t("wouldSend")}</p>
                <code data-testid="dry-run-rendered" className="block break-all text-xs">{row.rendered.method} {row.rendered.url}</code>
                {row.rendered.body ? <code className="mt-1 block whitespace-pre-wrap break-all text-xs text-slate-600">{row.rendered.body}</code> : null}
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** One side of a diff: the parts both share, and this side's own, marked (`removed` on the sent side, `added` on the new). */
function RequestDiff({ testId, diff, side }: { testId: string; diff: NonNullable<DryRunRow["diff"]>; side: "added" | "removed" }) {
  const show = (parts: DiffPart[]) =>
    parts
      .filter((p) => p.change === "same" || p.change === side)
      .map((p, i) =>
        p.change === "same" ? (
          <span key={i}>{p.text}</span>
        ) : side === "added" ? (
          <ins key={i} data-diff="added" className="rounded-sm bg-emerald-200 px-0.5 text-emerald-900 no-underline">{p.text}</ins>
        ) : (
          <del key={i} data-diff="removed" className="rounded-sm bg-red-200 px-0.5 text-red-900">{p.text}</del>
        ),
      );
  const bodyChanged = diff.body.some((p) => p.change !== "same");
  const headersChanged = diff.headers.some((p) => p.change !== "same");
  return (
    <div data-testid={testId} className="space-y-1">
      <code className="block break-all text-xs">{show(diff.url)}</code>
      {diff.body.length > 0 ? <code className={`block whitespace-pre-wrap break-all text-xs ${bodyChanged ? "" : "text-slate-500"}`}>{show(diff.body)}</code> : null}
      {headersChanged ? <pre className="whitespace-pre-wrap break-all rounded bg-slate-50 p-1 text-xs">{show(diff.headers)}</pre> : null}
    </div>
  );
}
