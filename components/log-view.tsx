"use client";

import { useCallback, useEffect, useMemo, useState, useTransition } from "react";
import { replayDeliveryAction, retryDeliveryNowAction } from "@/app/(workspace)/postbacks/actions";
import type { IncomingRow, OutgoingRow } from "@/lib/reports/logs";
import { LocalTime } from "./local-time";
import { StatusBadge } from "./status-badge";
import { buttonClass } from "./ui/styles";

type Kind = "incoming" | "outgoing";
type Row = IncomingRow | OutgoingRow;

const versionOf = (row: Row) => ("changedAt" in row ? row.changedAt : row.at);

/**
 * A log table that streams: the first page comes rendered, then new and changed rows arrive over
 * an EventSource (which resumes from its last cursor after any disconnect) and older pages load on
 * demand. Rows are kept by id, so a row streamed twice (the overlap window) shows once.
 */
export function LogView({ kind, initialRows, query, canReplay }: { kind: Kind; initialRows: Row[]; query: string; canReplay: boolean }) {
  const [rows, setRows] = useState<Map<string, Row>>(() => new Map(initialRows.map((r) => [r.id, r])));
  const [older, setOlder] = useState<number | null>(initialRows.length >= 50 ? (initialRows.at(-1)?.seq ?? null) : null);
  const [live, setLive] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);

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
          {live ? "Live: new rows appear as they are written" : "Connecting…"}
        </span>
        <a href={`/api/logs/${kind}?${query}${query ? "&" : ""}format=csv`} className="font-medium text-brand-700 hover:underline">
          Export CSV
        </a>
      </div>
      {sorted.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">
          {kind === "incoming" ? "No postbacks received yet. Send one with the endpoint URL and its token." : "Nothing sent yet. A conversion event that matches a postback shows up here."}
        </p>
      ) : (
        <div className="-mx-5 overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid={`${kind}-log`}>
            <thead>
              <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <th className="px-5 py-2">Time</th>
                {kind === "incoming" ? (
                  <>
                    <th className="px-3 py-2">Result</th>
                    <th className="px-3 py-2">HTTP</th>
                    <th className="px-3 py-2">Click id</th>
                    <th className="px-3 py-2">Transaction</th>
                    <th className="px-3 py-2">Status</th>
                  </>
                ) : (
                  <>
                    <th className="px-3 py-2">State</th>
                    <th className="px-3 py-2">HTTP</th>
                    <th className="px-3 py-2">Postback</th>
                    <th className="px-3 py-2">Click id</th>
                    <th className="px-3 py-2">Status</th>
                    <th className="px-3 py-2">Attempts</th>
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
                        Timeline
                      </a>
                    ) : null}
                  </td>
                  {"result" in row ? (
                    <>
                      <td className="px-3 py-2"><StatusBadge status={row.result} /></td>
                      <td className="px-3 py-2 font-mono text-xs">{row.httpStatus}{row.errorCode ? ` ${row.errorCode}` : ""}</td>
                      <td className="px-3 py-2 font-mono text-xs">{row.clickId ?? "—"}</td>
                      <td className="px-3 py-2 font-mono text-xs">{row.transactionId ?? "—"}</td>
                      <td className="px-3 py-2 text-xs">{row.status ?? "—"}{row.originalStatus ? ` (${row.originalStatus})` : ""}</td>
                    </>
                  ) : (
                    <>
                      <td className="px-3 py-2">
                        <StatusBadge status={row.state} />
                        {row.nextAttemptAt && row.attempts > 0 ? <span className="ml-1.5 whitespace-nowrap text-xs text-slate-500">next <LocalTime iso={row.nextAttemptAt} /></span> : null}
                      </td>
                      <td className="px-3 py-2 font-mono text-xs">{row.lastStatusCode ?? "—"}</td>
                      <td className="px-3 py-2 text-xs">
                        {row.postbackName} <span className="text-slate-400">→ {row.destinationHost}</span>
                        {row.own ? null : <span className="block text-slate-400">{row.ownerName}&apos;s</span>}
                      </td>
                      <td className="px-3 py-2 font-mono text-xs">{row.clickId}</td>
                      <td className="px-3 py-2 text-xs">{row.status}</td>
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
          Load older
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
      <aside role="dialog" aria-label="Log entry" className="h-full w-full max-w-2xl overflow-y-auto bg-white p-6 shadow-xl" onClick={(e) => e.stopPropagation()}>
        <div className="mb-4 flex items-center justify-between">
          <h2 className="text-lg font-semibold">{kind === "incoming" ? "Incoming postback" : "Delivery"}</h2>
          <button type="button" onClick={onClose} className={buttonClass("ghost")} autoFocus>
            Close
          </button>
        </div>
        {!detail ? <p className="text-sm text-slate-500">Loading…</p> : null}
        {detail && kind === "incoming" ? (
          <dl className="space-y-3 text-sm">
            <Fact label="Result">{detail.result} · HTTP {detail.httpStatus} {detail.errorCode ?? ""}</Fact>
            {detail.message ? <Fact label="Message">{detail.message}</Fact> : null}
            <Fact label="Source address">{detail.sourceIp ?? "—"}</Fact>
            <Fact label="Parameters (secrets masked)"><pre className="whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{JSON.stringify(detail.params, null, 2)}</pre></Fact>
            <Fact label="Conversion">{detail.conversionId ?? "—"}</Fact>
          </dl>
        ) : null}
        {detail?.delivery ? (
          <div className="space-y-4 text-sm">
            <p>
              <StatusBadge status={detail.delivery.state} /> <span className="ml-2 font-mono text-xs">{detail.delivery.id}</span>
            </p>
            {detail.delivery.nextAttemptAt ? (
              <p data-testid="next-attempt" className="text-slate-700">
                {detail.delivery.attempts > 0 ? "Next attempt" : "First attempt"} at <LocalTime iso={detail.delivery.nextAttemptAt} />
                {detail.delivery.attempts > 0 ? ` (after ${detail.delivery.attempts} attempt${detail.delivery.attempts === 1 ? "" : "s"})` : ""}
              </p>
            ) : null}
            {detail.delivery.masked ? (
              <p className="rounded-md bg-slate-50 p-2 text-xs text-slate-600">
                {detail.delivery.ownerName}&apos;s postback, shown read-only: its secrets, headers and signature are masked.
              </p>
            ) : null}
            {canReplay && detail.delivery.own && detail.delivery.state === "pending" ? (
              <button
                type="button"
                disabled={pending}
                className={buttonClass("primary")}
                onClick={() => start(async () => {
                  const result = await retryDeliveryNowAction({ id: detail.delivery!.id });
                  setMessage(result.ok ? "Retrying now: the next attempt is made at once." : result.error.message);
                  if (result.ok) reloadSoon();
                })}
              >
                Retry now
              </button>
            ) : null}
            {canReplay && detail.delivery.own && (detail.delivery.state === "failed" || detail.delivery.state === "cancelled") ? (
              <button
                type="button"
                disabled={pending}
                className={buttonClass("primary")}
                onClick={() => start(async () => {
                  const result = await replayDeliveryAction({ id: detail.delivery!.id });
                  setMessage(result.ok ? "Replay queued: the delivery starts over with a fresh schedule." : result.error.message);
                  if (result.ok) reloadSoon();
                })}
              >
                Replay
              </button>
            ) : null}
            {message ? <p role="status" className="text-sm text-slate-700">{message}</p> : null}
            <ol className="space-y-4">
              {detail.attempts?.map((a) => (
                <li key={a.id} className="rounded-lg border border-slate-200 p-3">
                  <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                    <span className="font-semibold text-slate-800">Attempt {a.attemptNumber}</span> {a.trigger} · <LocalTime iso={a.createdAt} /> · {a.durationMs} ms
                    {a.ok ? <StatusBadge status="ok" /> : <span className="text-red-600">{a.errorClass}: {a.errorMessage}</span>}
                  </p>
                  <p className="mt-2 text-xs font-medium text-slate-500">Request</p>
                  <code className="block break-all text-xs">{a.method} {a.url}</code>
                  <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{Object.entries(a.requestHeaders).map(([k, v]) => `${k}: ${v}`).join("\n")}{a.requestBody ? `\n\n${a.requestBody}` : ""}</pre>
                  <p className="mt-2 text-xs font-medium text-slate-500">Response {a.responseStatus ?? ""}</p>
                  <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{a.responseHeaders ? Object.entries(a.responseHeaders).map(([k, v]) => `${k}: ${v}`).join("\n") : "(no answer)"}{a.responseBody ? `\n\n${a.responseBody}` : ""}</pre>
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
