import { getTranslations } from "next-intl/server";
import { EndpointDocs } from "@/components/endpoint-docs";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { endpointPath, listMerchantEndpoints } from "@/lib/incoming/endpoints";
import { listMerchantOffers } from "@/lib/tracking/offers";
import { requestOrigin } from "@/lib/platform/request-url";

export default async function MerchantHome() {
  const user = await requirePermission("endpoints:read");
  const db = getDb();
  const [endpoints, offerRows, origin] = await Promise.all([
    listMerchantEndpoints(db, user.orgId),
    listMerchantOffers(db, user.orgId),
    requestOrigin(),
  ]);
  const t = await getTranslations("merchantHome");
  return (
    <>
      <PageHeader title={user.orgName} description={t("description")} />
      <div className="grid gap-6">
        <Card title={t("endpoints")}>
          {endpoints.length === 0 ? (
            <EmptyState title={t("noEndpoint")}>{t("noEndpointHint")}</EmptyState>
          ) : (
            <ul className="space-y-4">
              {endpoints.map((e) => {
                const url = `${origin}${endpointPath(e.id)}`;
                return (
                  <li key={e.id} className="rounded-lg border border-slate-100 p-4">
                    <p className="flex items-center gap-2 text-sm font-medium">
                      {e.name} <span className="text-slate-500">· {e.networkName}</span>
                      <StatusBadge status={e.enabled ? "enabled" : "disabled"} />
                    </p>
                    <p className="mt-2 text-xs text-slate-500">{t("secretHint", { hint: e.secretHint })}</p>
                    <div className="mt-4">
                      <EndpointDocs url={url} />
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card title={t("offers")}>
          {offerRows.length === 0 ? (
            <EmptyState title={t("noOffers")}>{t("noOffersHint")}</EmptyState>
          ) : (
            <Table head={[t("offer"), t("network"), t("status")]}>
              {offerRows.map(({ offer, networkName }) => (
                <tr key={offer.id}>
                  <Cell>{offer.name}</Cell>
                  <Cell>{networkName}</Cell>
                  <Cell>
                    <StatusBadge status={offer.status} />
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
