import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { EndpointForm } from "@/components/endpoint-forms";
import { Card, PageHeader } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { getNetworkEndpoint, listMerchants } from "@/lib/incoming/endpoints";

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("endpoints:write");
  const { id } = await params;
  const db = getDb();
  const [endpoint, merchants] = await Promise.all([getNetworkEndpoint(db, user.orgId, id), listMerchants(db)]);
  if (!endpoint) notFound();
  const t = await getTranslations("network");
  return (
    <>
      <PageHeader title={t("endpoints.pageTitle", { name: endpoint.name })} description={t("endpoints.pageDescription")} />
      <Card>
        <EndpointForm
          merchants={merchants}
          initial={{
            id: endpoint.id,
            name: endpoint.name,
            merchantId: endpoint.merchantId,
            defaultStatus: endpoint.defaultStatus,
            statusMap: Object.entries(endpoint.statusMap).map(([word, target]) => `${word} = ${target}`).join("\n"),
            ipAllowList: endpoint.ipAllowList.join("\n"),
            rateLimitPerMinute: endpoint.rateLimitPerMinute,
            amountsFromPostback: endpoint.amountsFromPostback,
            enabled: endpoint.enabled,
            hasSigningSecret: endpoint.hasSigningSecret,
          }}
        />
      </Card>
    </>
  );
}
