import type { ReactNode } from "react";
import type { ConversionTimeline, TimelineEntry, TimelineRequest } from "@/lib/conversions/timeline";
import { formatAmount } from "@/lib/outgoing/postback-render";
import { LocalTime } from "./local-time";
import { StatusBadge } from "./status-badge";
import { Badge, Cell, EmptyState, Table } from "./ui/page";

const RESULT_WORDS: Record<string, string> = { accepted: "accepted", duplicate: "duplicate", ignored: "ignored", rejected: "refused" };

/** A conversion's story on one time axis, in the reader's time zone; what the party may not see never reaches the page. */
export function TimelineView({ timeline }: { timeline: ConversionTimeline }) {
  return (
    <div className="space-y-6">
      {timeline.deliveries.length === 0 ? null : (
        <div>
          <h2 className="mb-2 text-sm font-semibold text-slate-700">Deliveries</h2>
          <Table head={["Postback", "Destination", "Relays", "State", "Attempts", "Next attempt"]}>
            {timeline.deliveries.map((d) => (
              <tr key={d.id} data-delivery-id={d.id}>
                <Cell>
                  {d.postbackName}
                  {d.own ? null : <span className="block text-xs text-slate-500">{d.ownerName}&apos;s{d.masked ? ", secrets masked" : ""}</span>}
                </Cell>
                <Cell mono>{d.destinationHost}</Cell>
                <Cell>{d.forStatus}</Cell>
                <Cell><StatusBadge status={d.state} /></Cell>
                <Cell>{d.attempts}</Cell>
                <Cell>{d.nextAttemptAt ? <LocalTime iso={d.nextAttemptAt} /> : "—"}</Cell>
              </tr>
            ))}
          </Table>
        </div>
      )}
      <div>
        <h2 className="mb-2 text-sm font-semibold text-slate-700">What happened, oldest first</h2>
        {timeline.entries.length === 0 ? (
          <EmptyState title="Nothing recorded yet" />
        ) : (
          <ol data-testid="timeline" className="relative space-y-4 border-l border-slate-200 pl-5">
            {timeline.entries.map((entry, i) => (
              <li key={`${entry.kind}-${"id" in entry ? entry.id : i}`} data-testid="timeline-entry" data-kind={entry.kind} className="relative">
                <span className="absolute -left-[1.6rem] top-1.5 h-2.5 w-2.5 rounded-full bg-brand-500 ring-4 ring-white" aria-hidden />
                <p className="text-xs text-slate-500"><LocalTime iso={entry.at} /></p>
                <Entry entry={entry} />
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

function Entry({ entry }: { entry: TimelineEntry }) {
  switch (entry.kind) {
    case "click":
      return (
        <Block title="Click">
          <Facts
            items={[
              ["Click id", <code key="c">{entry.clickId}</code>],
              ["Country", entry.country ?? "—"],
              ...(entry.affiliateValues
                ? ([
                    ["Sub-ids", Object.keys(entry.affiliateValues.subs).length ? Object.entries(entry.affiliateValues.subs).map(([k, v]) => `${k}=${v}`).join(" · ") : "—"],
                    ["Tracker's click id", entry.affiliateValues.affClickId ?? "—"],
                    ["Source", entry.affiliateValues.source ?? "—"],
                  ] as [string, ReactNode][])
                : []),
              ...(entry.landingUrl ? ([["Landing URL", <code key="l" className="break-all">{entry.landingUrl}</code>]] as [string, ReactNode][]) : []),
            ]}
          />
        </Block>
      );
    case "incoming":
      return (
        <Block
          title={
            <>
              Merchant&apos;s postback {RESULT_WORDS[entry.result]} <StatusBadge status={entry.result} />{" "}
              <span className="font-mono text-xs text-slate-500">HTTP {entry.httpStatus}{entry.errorCode ? ` ${entry.errorCode}` : ""}</span>
            </>
          }
        >
          {entry.message ? <p className="text-sm text-slate-700">{entry.message}</p> : null}
          <Facts
            items={[
              ["Status sent", entry.originalStatus ?? "—"],
              ...(entry.transactionId ? ([["Transaction", entry.transactionId]] as [string, ReactNode][]) : []),
              ...(entry.matched ? [] : ([["Recorded", "against the click only (no change was made)"]] as [string, ReactNode][])),
              ...(entry.sourceIp ? ([["From", entry.sourceIp]] as [string, ReactNode][]) : []),
            ]}
          />
          {entry.params ? <Pre label="Parameters (secrets masked)">{Object.entries(entry.params).map(([k, v]) => `${k}=${String(v)}`).join("\n")}</Pre> : null}
        </Block>
      );
    case "status":
      return (
        <Block
          title={
            <>
              {entry.change === "created" ? "Conversion created" : entry.change === "reversal" ? "Reversed" : "Status changed"}:{" "}
              {entry.from ? <><StatusBadge status={entry.from} /> → </> : null}
              <StatusBadge status={entry.to} />
            </>
          }
        >
          <Facts
            items={[
              ["By", entry.by],
              ...(entry.originalStatus ? ([["Merchant's word", entry.originalStatus]] as [string, ReactNode][]) : []),
              ...(entry.payout !== null ? ([["Payout", formatAmount(entry.payout)]] as [string, ReactNode][]) : []),
              ...(entry.revenue !== null ? ([["Revenue", formatAmount(entry.revenue)]] as [string, ReactNode][]) : []),
            ]}
          />
          {entry.decisions.map((d) => (
            <p key={`${d.by}-${d.id}`} className="text-xs text-slate-600" data-decision={d.kind}>
              {d.by === "cap" ? "Cap" : "Rule"} ({d.kind}) → {d.action}: {d.reason}
            </p>
          ))}
        </Block>
      );
    case "attempt":
      return (
        <Block
          title={
            <>
              Attempt {entry.attemptNumber} of {entry.postbackName} {entry.ok ? <Badge tone="good">delivered</Badge> : <Badge tone="bad">failed</Badge>}{" "}
              <span className="text-xs text-slate-500">{entry.trigger} · {entry.durationMs} ms</span>
            </>
          }
        >
          {entry.ok ? null : <p className="text-sm text-red-700">{entry.errorClass}: {entry.errorMessage}</p>}
          <Request request={entry.request} />
          <Pre label={`Answer ${entry.response.status ?? "(none)"}`}>
            {entry.response.headers ? Object.entries(entry.response.headers).map(([k, v]) => `${k}: ${v}`).join("\n") : "(no answer)"}
            {entry.response.body ? `\n\n${entry.response.body}` : ""}
          </Pre>
        </Block>
      );
    case "next_attempt":
      return <Block title={<>Next attempt ({entry.attemptNumber}) of {entry.postbackName} <Badge tone="warn">scheduled</Badge></>} />;
    case "hold_ends":
      return <Block title={<>The hold ends: approved then unless rejected first <Badge tone="warn">scheduled</Badge></>} />;
  }
}

function Request({ request }: { request: TimelineRequest }) {
  return (
    <Pre label="Request as sent (secrets masked)">
      {`${request.method} ${request.url}\n`}
      {Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}
      {request.body ? `\n\n${request.body}` : ""}
    </Pre>
  );
}

function Block({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="mt-0.5 space-y-1.5">
      <p data-testid="entry-title" className="text-sm font-medium text-slate-800">{title}</p>
      {children}
    </div>
  );
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid gap-x-4 gap-y-1 text-xs sm:grid-cols-[10rem_1fr]">
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="break-all text-slate-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Pre({ label, children }: { label: string; children: ReactNode }) {
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-slate-500">{label}</summary>
      <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2">{children}</pre>
    </details>
  );
}
