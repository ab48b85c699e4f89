import { useFormatter, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { ConversionTimeline, TimelineEntry, TimelineRequest } from "@/lib/conversions/timeline";
import { DecisionReason } from "./decision-reason";
import { LocalTime } from "./local-time";
import { Money } from "./money";
import { StatusBadge } from "./status-badge";
import { Badge, Cell, EmptyState, Table } from "./ui/page";

/** A conversion's story on one time axis, in the reader's time zone; what the party may not see never reaches the page. */
export function TimelineView({ timeline }: { timeline: ConversionTimeline }) {
  const t = useTranslations("timeline");
  return (
    <div className="space-y-6">
      {timeline.deliveries.length === 0 ? null : (
        <div>
          <h2 className="mb-2 text-sm font-semibold text-slate-700">{t("deliveries")}</h2>
          <Table head={[t("postback"), t("destination"), t("relays"), t("state"), t("attempts"), t("nextAttempt")]}>
            {timeline.deliveries.map((d) => (
              <tr key={d.id} data-delivery-id={d.id}>
                <Cell>
                  {d.postbackName}
                  {d.own ? null : <span className="block text-xs text-slate-500">{t("ownedBy", { owner: d.ownerName, masked: String(d.masked) })}</span>}
                </Cell>
                <Cell mono>{d.destinationHost}</Cell>
                <Cell><StatusBadge status={d.forStatus} /></Cell>
                <Cell><StatusBadge status={d.state} /></Cell>
                <Cell>{d.attempts}</Cell>
                <Cell>{d.nextAttemptAt ? <LocalTime iso={d.nextAttemptAt} /> : "—"}</Cell>
              </tr>
            ))}
          </Table>
        </div>
      )}
      <div>
        <h2 className="mb-2 text-sm font-semibold text-slate-700">{t("history")}</h2>
        {timeline.entries.length === 0 ? (
          <EmptyState title={t("empty")} />
        ) : (
          <ol data-testid="timeline" className="relative space-y-4 border-l border-slate-200 pl-5">
            {timeline.entries.map((entry, i) => (
              <li key={`${entry.kind}-${"id" in entry ? entry.id : i}`} data-testid="timeline-entry" data-kind={entry.kind} className="relative">
                <span className="absolute -left-[1.6rem] top-1.5 h-2.5 w-2.5 rounded-full bg-brand-500 ring-4 ring-white" aria-hidden />
                <p className="text-xs text-slate-500"><LocalTime iso={entry.at} /></p>
                <Entry entry={entry} currency={timeline.conversion.currency} />
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

function Entry({ entry, currency }: { entry: TimelineEntry; currency: string }) {
  const t = useTranslations("timeline");
  const format = useFormatter();
  switch (entry.kind) {
    case "click":
      return (
        <Block title={t("click")}>
          <Facts
            items={[
              [t("clickId"), <code key="c">{entry.clickId}</code>],
              [t("country"), entry.country ?? "—"],
              ...(entry.affiliateValues
                ? ([
                    [t("subIds"), Object.keys(entry.affiliateValues.subs).length ? Object.entries(entry.affiliateValues.subs).map(([k, v]) => `${k}=${v}`).join(" · ") : "—"],
                    [t("trackerClickId"), entry.affiliateValues.affClickId ?? "—"],
                    [t("source"), entry.affiliateValues.source ?? "—"],
                  ] as [string, ReactNode][])
                : []),
              ...(entry.landingUrl ? ([[t("landingUrl"), <code key="l" className="break-all">{entry.landingUrl}</code>]] as [string, ReactNode][]) : []),
            ]}
          />
        </Block>
      );
    case "incoming":
      return (
        <Block
          title={
            <>
              {t("incomingTitle", { result: entry.result })} <StatusBadge status={entry.result} />{" "}
              <span className="font-mono text-xs text-slate-500">HTTP {entry.httpStatus}{entry.errorCode ? ` ${entry.errorCode}` : ""}</span>
            </>
          }
        >
          {entry.message ? <p className="text-sm text-slate-700">{entry.message}</p> : null}
          <Facts
            items={[
              [t("statusSent"), entry.originalStatus ?? "—"],
              ...(entry.transactionId ? ([[t("transaction"), entry.transactionId]] as [string, ReactNode][]) : []),
              ...(entry.matched ? [] : ([[t("recorded"), t("recordedClickOnly")]] as [string, ReactNode][])),
              ...(entry.sourceIp ? ([[t("from"), entry.sourceIp]] as [string, ReactNode][]) : []),
            ]}
          />
          {entry.params ? <Pre label={t("parameters")}>{Object.entries(entry.params).map(([k, v]) => `${k}=${String(v)}`).join("\n")}</Pre> : null}
        </Block>
      );
    case "status":
      return (
        <Block
          title={t.rich("statusTitle", {
            change: entry.change,
            statuses: () => (
              <>
                {entry.from ? <><StatusBadge status={entry.from} /> → </> : null}
                <StatusBadge status={entry.to} />
              </>
            ),
          })}
        >
          <Facts
            items={[
              [t("by"), t("actor", { actor: entry.actor.kind, name: entry.actor.name ?? "" })],
              ...(entry.originalStatus ? ([[t("merchantsWord"), entry.originalStatus]] as [string, ReactNode][]) : []),
              ...(entry.payout !== null ? ([[t("payout"), <Money key="p" value={entry.payout} currency={currency} />]] as [string, ReactNode][]) : []),
              ...(entry.revenue !== null ? ([[t("revenue"), <Money key="r" value={entry.revenue} currency={currency} />]] as [string, ReactNode][]) : []),
            ]}
          />
          {entry.decisions.map((d) => (
            <p key={`${d.by}-${d.id}`} className="text-xs text-slate-600" data-decision={d.kind}>
              {t.rich("decision", { by: d.by, kind: d.kind, action: d.action, reason: () => <DecisionReason decision={d} currency={currency} /> })}
            </p>
          ))}
        </Block>
      );
    case "attempt":
      return (
        <Block
          title={
            <>
              {t("attemptTitle", { number: entry.attemptNumber, postback: entry.postbackName })}{" "}
              {entry.ok ? <Badge tone="good">{t("delivered")}</Badge> : <Badge tone="bad">{t("failed")}</Badge>}{" "}
              <span className="text-xs text-slate-500">{t("attemptHow", { trigger: entry.trigger, duration: format.number(entry.durationMs, { style: "unit", unit: "millisecond", unitDisplay: "short" }) })}</span>
            </>
          }
        >
          {entry.ok ? null : <p className="text-sm text-red-700">{entry.errorClass}: {entry.errorMessage}</p>}
          <Request request={entry.request} label={t("request")} />
          <Pre label={entry.response.status === null ? t("answerNone") : t("answer", { status: entry.response.status })}>
            {entry.response.headers ? Object.entries(entry.response.headers).map(([k, v]) => `${k}: ${v}`).join("\n") : t("noAnswer")}
            {entry.response.body ? `\n\n${entry.response.body}` : ""}
          </Pre>
        </Block>
      );
    case "next_attempt":
      return <Block title={<>{t("nextAttemptTitle", { number: entry.attemptNumber, postback: entry.postbackName })} <Badge tone="warn">{t("scheduled")}</Badge></>} />;
    case "hold_ends":
      return <Block title={<>{t("holdEnds")} <Badge tone="warn">{t("scheduled")}</Badge></>} />;
  }
}

function Request({ request, label }: { request: TimelineRequest; label: string }) {
  return (
    <Pre label={label}>
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
