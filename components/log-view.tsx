"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useState, useTransition } from "react";
import { replayDeliveryAction, retryDeliveryNowAction } from "@/app/(workspace)/postbacks/actions";
import type { IncomingRow, OutgoingRow } from "@/lib/reports/logs";
import { LocalTime } from "./local-time";
import { StatusBadge } from "./status-badge";
import { useStatusWord } from "./status-words";
import { buttonClass } from "./ui/styles";

type Kind = "incoming" | "outgoing";
type Row = IncomingRow | OutgoingRow;

const versionOf = (row: Row) => ("changedAt" in row ? row.changedAt : row.at);

/** A log value (an incoming result, a delivery state, an attempt's trigger) in the reader's words; one the catalogue lacks shows as stored. */
function useLogWord(): (group: "results" | "triggers", value: string) => string {
  const t = useTranslations();
  return (group, value) => {
    if (group === "triggers") return t.has(`logs.triggers.${value as "test"}`) ? t(`logs.triggers.${value as "test"}`) : value;
    return t.has(`logs.results.${value as "accepted"}`) ? t(`logs.results.${value as "accepted"}`) : value;
  };
}

/**
 * A log table that streams: the first page comes rendered, then new and changed rows arrive over
 * an EventSource (which resumes from its last cursor after any disconnect) and older pages load on
 * demand. Rows are kept by id, so a row streamed twice (the overlap window) shows once.
 */
export function LogView({ kind, initialRows, query, canReplay }: { kind: Kind; initialRows: Row[]; query: string; canReplay: boolean }) {
  const [rows, setRows] = useState<Map<string, Row>>(() => new Map(initialRows.map((r) => [r.id, r])));
  const [older, setOlder] = useState<number | null>(initialRows.length >= 50 ? (initialRows.at(-1)?.seq ?? null) : null);
  const [live, setLive] = useState(false);
  // Rows a burst brought faster than the stream shows them (it sends the newest page at a time).
  const [skipped, setSkipped] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const t = useTranslations("logView");
  const word = useLogWord();
  const statusWord = useStatusWord();

  const upsert = useCallback((incoming: Row[]) => {
    setRows((current) => {
      const next = new Map(current);
      for (const row of incoming) {
        const known = next.get(row.id);
        if (!known || versionOf(known) <= versionOf(row)) next.set(row.id, row);
      }
      return next;
    });
  }, []);

  useEffect(() => {
    const newest = initialRows.reduce((max, r) => (versionOf(r) > max ? versionOf(r) : max), new Date(Date.now() - 5_000).toISOString());
    const source = new EventSource(`/api/logs/${kind}/stream?${query}${query ? "&" : ""}since=${encodeURIComponent(newest)}`);
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener("row", (event) => upsert([JSON.parse((event as MessageEvent).data)]));
    source.addEventListener("skipped", (event) => setSkipped((n) => n + (JSON.parse((event as MessageEvent).data) as { count: number }).count));
    return () => source.close();
  }, [kind, query, initialRows, upsert]);

  const sorted = useMemo(() => [...rows.values()].sort((a, b) => b.seq - a.seq), [rows]);

  async function loadOlder() {
    if (older === null) return;
    const response = await fetch(`/api/logs/${kind}?${query}${query ? "&" : ""}before=${older}`);
    const page = (await response.json()) as { rows: Row[]; next: number | null };
    upsert(page.rows);
    setOlder(page.next);
  }

  return (
    <div>
      <div className="mb-3 flex items-center justify-between text-xs text-slate-500">
        <span data-testid="stream-state">
          <span className={`mr-1.5 inline-block h-2 w-2 rounded-full ${live ? "bg-emerald-500" : "bg-slate-300"}`} />
          {live ? t("live") : t("connecting")}
        </span>
        <a href={`/api/logs/${kind}?${query}${query ? "&" : ""}format=csv`} className="font-medium text-brand-700 hover:underline">
          {t("exportCsv")}
        </a>
      </div>
      {skipped > 0 ? (
        <p className="mb-3 flex items-center justify-between rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="stream-skipped">
          {t("skipped", { count: skipped })}
          <button type="button" onClick={() => window.location.reload()} className="font-medium text-brand-700 hover:underline">
            {t("reload")}
          </button>
        </p>
      ) : null}
      {sorted.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">
          {kind === "incoming" ? t("emptyIncoming") : t("emptyOutgoing")}
        </p>
      ) : (
        <div className="-mx-5 overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid={`${kind}-log`}>
            <thead>
              <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <th className="px-5 py-2">{t("time")}</th>
                {kind === "incoming" ? (
                  <>
                    <th className="px-3 py-2">{t("result")}</th>
                    <th className="px-3 py-2">{t("http")}</th>
                    <th className="px-3 py-2">{t("clickId")}</th>
                    <th className="px-3 py-2">{t("transaction")}</th>
                    <th className="px-3 py-2">{t("status")}</th>
                  </>
                ) : (
                  <>
                    <th className="px-3 py-2">{t("state")}</th>
                    <th className="px-3 py-2">{t("http")}</th>
                    <th className="px-3 py-2">{t("postback")}</th>
                    <th className="px-3 py-2">{t("clickId")}</th>
                    <th className="px-3 py-2">{t("status")}</th>
                    <th className="px-3 py-2">{t("attempts")}</th>
                  </>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {sorted.map((row) => (
                <tr
                  key={row.id}
                  tabIndex={0}
                  data-row-id={row.id}
                  onClick={() => setSelected(row.id)}
                  onKeyDown={(e) => (e.key === "Enter" ? setSelected(row.id) : undefined)}
                  className="cursor-pointer hover:bg-slate-50 focus:bg-brand-50"
                >
                  <td className="whitespace-nowrap px-5 py-2 text-xs text-slate-600">
                    <LocalTime iso={row.at} />
                    {row.conversionId ? (
                      <a href={`/conversions/${row.conversionId}`} onClick={(e) => e.stopPropagation()} className="ml-2 font-medium text-brand-700 hover:underline" data-testid="timeline-link">
                        {t("timeline")}
                      </a>
                    ) : null}
                  </td>
                  {"result" in row ? (
                    <>
                      <td className="px-3 py-2"><StatusBadge status={row.result} label={word("results", row.result)} /></td>
                      <td className="px-3 py-2 font-mono text-xs">{row.httpStatus}{row.errorCode ? ` ${row.errorCode}` : ""}</td>
                      <td className="px-3 py-2 font-mono text-xs">{row.clickId ?? "—"}</td>
                      <td className="px-3 py-2 font-mono text-xs">{row.transactionId ?? "—"}</td>
                      <td className="px-3 py-2 text-xs">
                        {row.status ? statusWord(row.status) : "—"}
                        {row.originalStatus ? <span className="text-slate-500"> ({row.originalStatus})</span> : null}
                      </td>
                    </>
                  ) : (
                    <>
                      <td className="px-3 py-2">
                        <StatusBadge status={row.state} label={word("results", row.state)} />
                        {row.nextAttemptAt && row.attempts > 0 ? (
                          <span className="ml-1.5 whitespace-nowrap text-xs text-slate-500">{t.rich("next", { time: () => <LocalTime iso={row.nextAttemptAt!} /> })}</span>
                        ) : null}
                      </td>
                      <td className="px-3 py-2 font-mono text-xs">{row.lastStatusCode ?? "—"}</td>
                      <td className="px-3 py-2 text-xs">
                        {row.postbackName} <span className="text-slate-400">→ {row.destinationHost}</span>
                        {row.own ? null : <span className="block text-slate-400">{t("ownerOf", { owner: row.ownerName })}</span>}
                      </td>
                      <td className="px-3 py-2 font-mono text-xs">{row.clickId}</td>
                      <td className="px-3 py-2 text-xs">{statusWord(row.status)}</td>
                      <td className="px-3 py-2 text-xs">{row.attempts}</td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {older !== null ? (
        <button type="button" onClick={loadOlder} className={buttonClass("secondary", "mt-4")}>
          {t("loadOlder")}
        </button>
      ) : null}
      {selected ? <DetailDrawer kind={kind} id={selected} canReplay={canReplay} onClose={() => setSelected(null)} /> : null}
    </div>
  );
}

type Attempt = {
  id: string; attemptNumber: number; trigger: string; method: string; url: string; createdAt: string; durationMs: number; ok: boolean;
  requestHeaders: Record<string, string>; requestBody: string | null; responseStatus: number | null; responseHeaders: Record<string, string> | null;
  responseBody: string | null; errorClass: string | null; errorMessage: string | null;
};

function DetailDrawer({ kind, id, canReplay, onClose }: { kind: Kind; id: string; canReplay: boolean; onClose: () => void }) {
  const [detail, setDetail] = useState<{ delivery?: OutgoingRow; attempts?: Attempt[] } & Partial<IncomingRow> | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const t = useTranslations("logView");
  const word = useLogWord();
  // Bumped after a Retry now or a Replay: the drawer reads the delivery again once the attempt had time to run.
  const [version, setVersion] = useState(0);
  const reloadSoon = () => setTimeout(() => setVersion((v) => v + 1), 1500);
  useEffect(() => {
    let cancelled = false;
    fetch(`/api/logs/${kind}/${id}`).then(async (r) => {
      if (!cancelled) setDetail(await r.json());
    });
    return () => {
      cancelled = true;
    };
  }, [kind, id, version]);
  useEffect(() => {
    const close = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", close);
    return () => window.removeEventListener("keydown", close);
  }, [onClose]);

  return (
    <div className="fixed inset-0 z-40 flex justify-end bg-slate-900/30" onClick={onClose}>
      <aside role="dialog" aria-label={t("entry")} className="h-full w-full max-w-2xl overflow-y-auto bg-white p-6 shadow-xl" onClick={(e) => e.stopPropagation()}>
        <div className="mb-4 flex items-center justify-between">
          <h2 className="text-lg font-semibold">{kind === "incoming" ? t("incomingTitle") : t("deliveryTitle")}</h2>
          <button type="button" onClick={onClose} className={buttonClass("ghost")} autoFocus>
            {t("close")}
          </button>
        </div>
        {!detail ? <p className="text-sm text-slate-500">{t("loading")}</p> : null}
        {detail && kind === "incoming" ? (
          <dl className="space-y-3 text-sm">
            <Fact label={t("result")}>{detail.result ? word("results", detail.result) : "—"} · HTTP {detail.httpStatus} {detail.errorCode ?? ""}</Fact>
            {detail.message ? <Fact label={t("message")}>{detail.message}</Fact> : null}
            <Fact label={t("sourceAddress")}>{detail.sourceIp ?? "—"}</Fact>
            <Fact label={t("params")}><pre className="whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{JSON.stringify(detail.params, null, 2)}</pre></Fact>
            <Fact label={t("conversion")}>{detail.conversionId ?? "—"}</Fact>
          </dl>
        ) : null}
        {detail?.delivery ? (
          <div className="space-y-4 text-sm">
            <p>
              <StatusBadge status={detail.delivery.state} label={word("results", detail.delivery.state)} /> <span className="ml-2 font-mono text-xs">{detail.delivery.id}</span>
            </p>
            {detail.delivery.nextAttemptAt ? (
              <p data-testid="next-attempt" className="text-slate-700">
                {t.rich("nextAttempt", { attempts: detail.delivery.attempts, time: () => <LocalTime iso={detail.delivery!.nextAttemptAt!} /> })}
              </p>
            ) : null}
            {detail.delivery.masked ? (
              <p className="rounded-md bg-slate-50 p-2 text-xs text-slate-600">
                {t("masked", { owner: detail.delivery.ownerName })}
              </p>
            ) : null}
            {canReplay && detail.delivery.own && detail.delivery.state === "pending" ? (
              <button
                type="button"
                disabled={pending}
                className={buttonClass("primary")}
                onClick={() => start(async () => {
                  const result = await retryDeliveryNowAction({ id: detail.delivery!.id });
                  setMessage(result.ok ? t("retrying") : result.error.message);
                  if (result.ok) reloadSoon();
                })}
              >
                {t("retryNow")}
              </button>
            ) : null}
            {canReplay && detail.delivery.own && (detail.delivery.state === "failed" || detail.delivery.state === "cancelled") ? (
              <button
                type="button"
                disabled={pending}
                className={buttonClass("primary")}
                onClick={() => start(async () => {
                  const result = await replayDeliveryAction({ id: detail.delivery!.id });
                  setMessage(result.ok ? t("replayQueued") : result.error.message);
                  if (result.ok) reloadSoon();
                })}
              >
                {t("replay")}
              </button>
            ) : null}
            {message ? <p role="status" className="text-sm text-slate-700">{message}</p> : null}
            <ol className="space-y-4">
              {detail.attempts?.map((a) => (
                <li key={a.id} className="rounded-lg border border-slate-200 p-3">
                  <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                    <span className="font-semibold text-slate-800">{t("attempt", { number: a.attemptNumber })}</span> {word("triggers", a.trigger)} · <LocalTime iso={a.createdAt} /> ·{" "}
                    {t("duration", { ms: a.durationMs })}
                    {a.ok ? <StatusBadge status="ok" label={t("ok")} /> : <span className="text-red-600">{a.errorClass}: {a.errorMessage}</span>}
                  </p>
                  <p className="mt-2 text-xs font-medium text-slate-500">{t("request")}</p>
                  <code className="block break-all text-xs">{a.method} {a.url}</code>
                  <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{Object.entries(a.requestHeaders).map(([k, v]) => `${k}: ${v}`).join("\n")}{a.requestBody ? `\n\n${a.requestBody}` : ""}</pre>
                  <p className="mt-2 text-xs font-medium text-slate-500">{t("response")} {a.responseStatus ?? ""}</p>
                  <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{a.responseHeaders ? Object.entries(a.responseHeaders).map(([k, v]) => `${k}: ${v}`).join("\n") : t("noAnswer")}{a.responseBody ? `\n\n${a.responseBody}` : ""}</pre>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
      </aside>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1">{children}</dd>
    </div>
  );
}
