import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listNetworkMerchants } from "@/lib/incoming/endpoints";

export default async function MerchantsPage() {
  const user = await requirePermission("offers:read");
  const rows = await listNetworkMerchants(getDb(), user.orgId);
  const t = await getTranslations("network");
  return (
    <>
      <PageHeader title={t("merchants.title")} description={t("merchants.description")} />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={t("merchants.empty")}>{t("merchants.emptyHint")}</EmptyState>
        ) : (
          <Table head={[t("common.merchant"), t("merchants.offers"), t("merchants.endpoints")]}>
            {rows.map((m) => (
              <tr key={m.id}>
                <Cell>{m.name}</Cell>
                <Cell><Link href="/network/offers" className="text-brand-700 hover:underline">{m.offers}</Link></Cell>
                <Cell>{m.endpoints === 0 ? <Link href="/network/endpoints" className="text-amber-700 hover:underline">{t("merchants.addOne")}</Link> : m.endpoints}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
