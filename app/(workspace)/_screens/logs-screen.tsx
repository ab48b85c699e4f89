import Link from "next/link";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listIncoming, listOutgoing, type LogFilters, offersForFilter, parseLogFilters } from "@/lib/reports/logs";
import { can, HOME_PATHS } from "@/lib/access/permissions";
import { listOwnPostbacks } from "@/lib/outgoing/postbacks";
import { LogView } from "@/components/log-view";
import { Card, PageHeader } from "@/components/ui/page";
import { buttonClass, inputClass, labelClass } from "@/components/ui/styles";

type Kind = "incoming" | "outgoing";

const TAB_LABELS: Record<Kind, string> = { incoming: "Incoming", outgoing: "Outgoing" };
const RESULTS: Record<Kind, string[]> = { incoming: ["accepted", "duplicate", "ignored", "rejected"], outgoing: ["pending", "delivered", "failed", "cancelled"] };

/** Logs for any party: the tabs it may read, filters, the streaming table. */
export async function LogsScreen({ tabs, searchParams }: { tabs: Kind[]; searchParams: Record<string, string | undefined> }) {
  const user = await requirePermission("logs:read");
  const kind: Kind = tabs.includes(searchParams.tab as Kind) ? (searchParams.tab as Kind) : tabs[0];
  const filters = parseLogFilters(searchParams);
  const db = getDb();
  const [rows, offerChoices, postbacks] = await Promise.all([
    kind === "incoming" ? listIncoming(db, user, filters, { limit: 50 }) : listOutgoing(db, user, filters, { limit: 50 }),
    offersForFilter(db, user),
    kind === "outgoing" ? listOwnPostbacks(db, user.orgId) : Promise.resolve([]),
  ]);
  const base = `${HOME_PATHS[user.orgKind]}/logs`;
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]).toString();
  return (
    <>
      <PageHeader title="Logs" description="Every postback in and out, as it happens. Click a row for the full request and answer." />
      {tabs.length > 1 ? (
        <nav aria-label="Log kind" className="mb-4 flex gap-2">
          {tabs.map((t) => (
            <Link key={t} href={`${base}?tab=${t}`} aria-current={t === kind ? "page" : undefined} className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 aria-[current=page]:bg-brand-50 aria-[current=page]:text-brand-700">
              {TAB_LABELS[t]}
            </Link>
          ))}
        </nav>
      ) : null}
      <Card>
        {kind === "outgoing" && user.orgKind === "network" ? (
          <p className="mb-4 text-sm text-slate-600">With your own postbacks, your affiliates&apos; postbacks of conversions on your offers show here, read-only, their secrets masked.</p>
        ) : null}
        <Filters kind={kind} filters={filters} offers={offerChoices} postbacks={postbacks} base={base} />
        <LogView key={`${kind}?${query}`} kind={kind} initialRows={rows} query={query} canReplay={kind === "outgoing" && can(user, "postbacks:write")} />
      </Card>
    </>
  );
}

function Filters({ kind, filters, offers, postbacks, base }: { kind: Kind; filters: LogFilters; offers: { id: string; name: string }[]; postbacks: { id: string; name: string }[]; base: string }) {
  return (
    <form method="get" action={base} className="mb-5 grid gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Filters">
      <input type="hidden" name="tab" value={kind} />
      <div>
        <label htmlFor="f-result" className={labelClass}>{kind === "incoming" ? "Result" : "State"}</label>
        <select id="f-result" name="result" defaultValue={filters.result ?? ""} className={inputClass}>
          <option value="">Any</option>
          {RESULTS[kind].map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor="f-code" className={labelClass}>HTTP</label>
        <select id="f-code" name="codeClass" defaultValue={filters.codeClass ?? ""} className={inputClass}>
          <option value="">Any</option>
          {["2xx", "3xx", "4xx", "5xx"].map((c) => <option key={c} value={c}>{c}</option>)}
          {kind === "outgoing" ? <option value="none">No answer</option> : null}
        </select>
      </div>
      <div>
        <label htmlFor="f-offer" className={labelClass}>Offer</label>
        <select id="f-offer" name="offerId" defaultValue={filters.offerId ?? ""} className={inputClass}>
          <option value="">Any</option>
          {offers.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
      </div>
      {kind === "outgoing" ? (
        <div>
          <label htmlFor="f-postback" className={labelClass}>Postback</label>
          <select id="f-postback" name="postbackId" defaultValue={filters.postbackId ?? ""} className={inputClass}>
            <option value="">Any</option>
            {postbacks.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </div>
      ) : null}
      <div>
        <label htmlFor="f-from" className={labelClass}>From</label>
        <input id="f-from" name="from" type="date" defaultValue={filters.from ?? ""} className={inputClass} />
      </div>
      <div>
        <label htmlFor="f-to" className={labelClass}>To</label>
        <input id="f-to" name="to" type="date" defaultValue={filters.to ?? ""} className={inputClass} />
      </div>
      <div className="sm:col-span-2">
        <label htmlFor="f-q" className={labelClass}>An id, exactly</label>
        <input id="f-q" name="q" defaultValue={filters.q ?? ""} className={inputClass} placeholder={kind === "incoming" ? "click, transaction or conversion id" : "click, transaction, conversion or delivery id"} />
      </div>
      <div className="flex items-end gap-2">
        <button type="submit" className={buttonClass("secondary")}>Filter</button>
        <Link href={`${base}?tab=${kind}`} className={buttonClass("ghost")}>Clear</Link>
      </div>
    </form>
  );
}
