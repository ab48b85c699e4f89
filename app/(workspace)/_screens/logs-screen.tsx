import { useTranslations } from "next-intl";
import { getTranslations } from "next-intl/server";
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

const TAB_LABELS = { incoming: "tabs.incoming", outgoing: "tabs.outgoing" } as const;
// Filter values stay in the URL as they are; their labels are the reader's.
const RESULTS = {
  incoming: { accepted: "results.accepted", duplicate: "results.duplicate", ignored: "results.ignored", rejected: "results.rejected" },
  outgoing: { pending: "results.pending", delivered: "results.delivered", failed: "results.failed", cancelled: "results.cancelled" },
} as const;

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
  const t = await getTranslations("logs");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {tabs.length > 1 ? (
        <nav aria-label={t("kind")} className="mb-4 flex gap-2">
          {tabs.map((tab) => (
            <Link key={tab} href={`${base}?tab=${tab}`} aria-current={tab === kind ? "page" : undefined} className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 aria-[current=page]:bg-brand-50 aria-[current=page]:text-brand-700">
              {t(TAB_LABELS[tab])}
            </Link>
          ))}
        </nav>
      ) : null}
      <Card>
        {kind === "outgoing" && user.orgKind === "network" ? (
          <p className="mb-4 text-sm text-slate-600">{t("networkNote")}</p>
        ) : null}
        <Filters kind={kind} filters={filters} offers={offerChoices} postbacks={postbacks} base={base} />
        <LogView key={`${kind}?${query}`} kind={kind} initialRows={rows} query={query} canReplay={kind === "outgoing" && can(user, "postbacks:write")} />
      </Card>
    </>
  );
}

function Filters({ kind, filters, offers, postbacks, base }: { kind: Kind; filters: LogFilters; offers: { id: string; name: string }[]; postbacks: { id: string; name: string }[]; base: string }) {
  const t = useTranslations("logs");
  return (
    <form method="get" action={base} className="mb-5 grid gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label={t("filters")}>
      <input type="hidden" name="tab" value={kind} />
      <div>
        <label htmlFor="f-result" className={labelClass}>{kind === "incoming" ? t("result") : t("state")}</label>
        <select id="f-result" name="result" defaultValue={filters.result ?? ""} className={inputClass}>
          <option value="">{t("any")}</option>
          {Object.entries(RESULTS[kind]).map(([value, label]) => <option key={value} value={value}>{t(label)}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor="f-code" className={labelClass}>{t("http")}</label>
        <select id="f-code" name="codeClass" defaultValue={filters.codeClass ?? ""} className={inputClass}>
          <option value="">{t("any")}</option>
          {["2xx", "3xx", "4xx", "5xx"].map((c) => <option key={c} value={c}>{c}</option>)}
          {kind === "outgoing" ? <option value="none">{t("noAnswer")}</option> : null}
        </select>
      </div>
      <div>
        <label htmlFor="f-offer" className={labelClass}>{t("offer")}</label>
        <select id="f-offer" name="offerId" defaultValue={filters.offerId ?? ""} className={inputClass}>
          <option value="">{t("any")}</option>
          {offers.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
      </div>
      {kind === "outgoing" ? (
        <div>
          <label htmlFor="f-postback" className={labelClass}>{t("postback")}</label>
          <select id="f-postback" name="postbackId" defaultValue={filters.postbackId ?? ""} className={inputClass}>
            <option value="">{t("any")}</option>
            {postbacks.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </div>
      ) : null}
      <div>
        <label htmlFor="f-from" className={labelClass}>{t("from")}</label>
        <input id="f-from" name="from" type="date" defaultValue={filters.from ?? ""} className={inputClass} />
      </div>
      <div>
        <label htmlFor="f-to" className={labelClass}>{t("to")}</label>
        <input id="f-to" name="to" type="date" defaultValue={filters.to ?? ""} className={inputClass} />
      </div>
      <div className="sm:col-span-2">
        <label htmlFor="f-q" className={labelClass}>{t("id")}</label>
        <input id="f-q" name="q" defaultValue={filters.q ?? ""} className={inputClass} placeholder={kind === "incoming" ? t("idIncoming") : t("idOutgoing")} />
      </div>
      <div className="flex items-end gap-2">
        <button type="submit" className={buttonClass("secondary")}>{t("filter")}</button>
        <Link href={`${base}?tab=${kind}`} className={buttonClass("ghost")}>{t("clear")}</Link>
      </div>
    </form>
  );
}
