import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Stat, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { endpointPath, listNetworkEndpoints } from "@/lib/incoming/endpoints";
import { listNetworkMemberships } from "@/lib/access/memberships";
import { listNetworkOffers } from "@/lib/tracking/offers";
import { organizationTimeZone } from "@/lib/access/organizations";
import { TimeZoneForm } from "@/components/time-zone-form";
import { ExchangeRateForm } from "@/components/exchange-rate-form";
import { ActionButton } from "@/components/action-button";
import { listExchangeRates } from "@/lib/program/exchange-rates";
import { removeExchangeRateAction } from "./settings-actions";

export default async function NetworkHome() {
  const user = await requirePermission("offers:read");
  const db = getDb();
  const [offerRows, members, endpoints] = await Promise.all([
    listNetworkOffers(db, user.orgId),
    listNetworkMemberships(db, user.orgId),
    listNetworkEndpoints(db, user.orgId),
  ]);
  const merchants = new Set(offerRows.map((o) => o.offer.merchantId));
  const [timeZone, rates, t, format] = await Promise.all([organizationTimeZone(db, user.orgId), listExchangeRates(db, user.orgId), getTranslations("network"), getFormatter()]);
  return (
    <>
      <PageHeader title={user.orgName} description={t("home.description")} />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label={t("home.offers")} value={offerRows.length} hint={t("home.activeOffers", { count: offerRows.filter((o) => o.offer.status === "active").length })} />
        <Stat label={t("home.merchants")} value={merchants.size} />
        <Stat label={t("home.affiliates")} value={members.filter((m) => m.membership.status === "approved").length} hint={t("home.approved")} />
        <Stat label={t("home.pendingRequests")} value={members.filter((m) => m.membership.status === "pending").length} />
      </div>
      <div className="mb-6 grid gap-6 lg:grid-cols-2">
        <Card title={t("home.timeZone")}>
          <p className="mb-3 text-sm text-slate-600">{t("home.timeZoneNote", { timeZone })}</p>
          <TimeZoneForm timeZone={timeZone} />
        </Card>
        <Card title={t("home.exchangeRates")}>
          <p className="mb-3 text-sm text-slate-600">{t("home.exchangeRatesNote")}</p>
          {rates.length === 0 ? <p className="mb-3 text-sm text-slate-500">{t("home.noExchangeRates")}</p> : (
            <ul className="mb-3 space-y-1 text-sm">
              {rates.map((r) => (
                <li key={r.id} data-rate={`${r.fromCurrency}-${r.toCurrency}`} className="flex items-center gap-3">
                  <span className="font-mono">{t("home.rateLine", { from: r.fromCurrency, to: r.toCurrency, rate: format.number(Number(r.rate), { maximumFractionDigits: 10 }) })}</span>
                  <span className="text-xs text-slate-500">{t("home.rateUpdated", { at: format.dateTime(r.updatedAt, { dateStyle: "medium" }) })}</span>
                  <ActionButton action={removeExchangeRateAction} input={{ id: r.id }} label={t("home.removeRate")} variant="ghost" />
                </li>
              ))}
            </ul>
          )}
          <ExchangeRateForm />
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t("home.offers")} footer={<Link href="/network/offers" className="text-brand-700 hover:underline">{t("home.allOffers")}</Link>}>
          {offerRows.length === 0 ? (
            <EmptyState title={t("offers.empty")}>{t("offers.emptyHint")}</EmptyState>
          ) : (
            <Table head={[t("common.offer"), t("common.merchant"), t("common.status")]}>
              {offerRows.slice(0, 5).map(({ offer, merchantName }) => (
                <tr key={offer.id}>
                  <Cell>
                    <Link href={`/network/offers/${offer.id}`} className="font-medium text-brand-700 hover:underline">
                      {offer.name}
                    </Link>
                  </Cell>
                  <Cell>{merchantName}</Cell>
                  <Cell>
                    <StatusBadge status={offer.status} />
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title={t("home.endpoints")}>
          {endpoints.length === 0 ? (
            <EmptyState title={t("home.noEndpoints")}>{t("home.noEndpointsHint")}</EmptyState>
          ) : (
            <Table head={[t("home.endpoint"), t("common.merchant"), t("home.urlPath")]}>
              {endpoints.map((e) => (
                <tr key={e.id}>
                  <Cell>{e.name}</Cell>
                  <Cell>{e.merchantName}</Cell>
                  <Cell mono>{endpointPath(e.id)}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
