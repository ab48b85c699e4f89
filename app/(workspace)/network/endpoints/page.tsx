import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { EndpointForm, RotateSecretButton } from "@/components/endpoint-forms";
import { StatusBadge } from "@/components/status-badge";
import { Card, EmptyState, PageHeader } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { endpointPath, listMerchants, listNetworkEndpoints } from "@/lib/incoming/endpoints";
import { requestOrigin } from "@/lib/platform/request-url";

export default async function EndpointsPage() {
  const user = await requirePermission("endpoints:read");
  const db = getDb();
  const [endpoints, merchants, origin] = await Promise.all([listNetworkEndpoints(db, user.orgId), listMerchants(db), requestOrigin()]);
  const t = await getTranslations("network");
  return (
    <>
      <PageHeader title={t("endpoints.title")} description={t("endpoints.description")} />
      <div className="grid gap-6">
        <Card title={t("endpoints.list")}>
          {endpoints.length === 0 ? (
            <EmptyState title={t("endpoints.empty")}>{t("endpoints.emptyHint")}</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100">
              {endpoints.map((e) => (
                <li key={e.id} className="space-y-1 py-3" data-endpoint-id={e.id}>
                  <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                    <Link href={`/network/endpoints/${e.id}`} className="text-brand-700 hover:underline">{e.name}</Link>
                    <span className="text-slate-500">· {e.merchantName}</span>
                    <StatusBadge status={e.enabled ? "enabled" : "disabled"} />
                  </p>
                  <code className="block break-all text-xs text-slate-600">{origin}{endpointPath(e.id)}</code>
                  <p className="flex flex-wrap items-center gap-3 text-xs text-slate-500">
                    <span>{t("endpoints.secretEnds", { hint: e.secretHint })}</span>
                    <span>{e.ipAllowList.length ? t("endpoints.allowed", { addresses: e.ipAllowList.join(", ") }) : t("endpoints.anyAddress")}</span>
                    <RotateSecretButton id={e.id} />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={t("endpoints.newEndpoint")}>
          {merchants.length === 0 ? (
            <EmptyState title={t("endpoints.noMerchant")}>{t("common.noMerchantAdmin")}</EmptyState>
          ) : (
            <EndpointForm merchants={merchants} initial={{ name: "", merchantId: merchants[0].id, defaultStatus: "approved", statusMap: "", ipAllowList: "", rateLimitPerMinute: 600, amountsFromPostback: true, enabled: true, hasSigningSecret: false }} />
          )}
        </Card>
      </div>
    </>
  );
}
