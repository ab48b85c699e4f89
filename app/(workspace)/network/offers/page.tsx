import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { OfferForm } from "@/components/offer-form";
import { StatusBadge } from "@/components/status-badge";
import { Money } from "@/components/money";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listMerchants } from "@/lib/incoming/endpoints";
import { listNetworkOffers } from "@/lib/tracking/offers";
import { setOfferStatusAction } from "./actions";

export default async function NetworkOffersPage() {
  const user = await requirePermission("offers:read");
  const db = getDb();
  const [rows, merchants] = await Promise.all([listNetworkOffers(db, user.orgId), listMerchants(db)]);
  const t = await getTranslations("network");
  return (
    <>
      <PageHeader title={t("offers.title")} description={t("offers.description")} />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={t("offers.empty")}>{t("offers.emptyHint")}</EmptyState>
        ) : (
          <Table head={[t("common.offer"), t("common.merchant"), t("common.payout"), t("common.revenue"), t("common.status"), ""]}>
            {rows.map(({ offer, merchantName }) => (
              <tr key={offer.id}>
                <Cell>
                  <Link href={`/network/offers/${offer.id}`} className="font-medium text-brand-700 hover:underline">
                    {offer.name}
                  </Link>
                </Cell>
                <Cell>{merchantName}</Cell>
                <Cell>
                  <Money value={offer.defaultPayout} currency={offer.currency} />
                </Cell>
                <Cell>
                  <Money value={offer.defaultRevenue} currency={offer.currency} />
                </Cell>
                <Cell>
                  <StatusBadge status={offer.status} />
                </Cell>
                <Cell>
                  <ActionButton action={setOfferStatusAction} input={{ id: offer.id, status: offer.status === "active" ? "paused" : "active" }} label={offer.status === "active" ? t("offers.pause") : t("offers.resume")} />
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <div className="mt-6">
        <Card title={t("offers.newOffer")}>
          {merchants.length === 0 ? (
            <EmptyState title={t("offers.noMerchant")}>{t("common.noMerchantAdmin")}</EmptyState>
          ) : (
            <OfferForm
              merchants={merchants}
              initial={{ name: "", merchantId: merchants[0].id, description: "", landingUrl: "", defaultPayout: "0", defaultRevenue: "0", currency: "USD", allowMultipleConversions: false, clickLifetimeHours: 720, status: "active" }}
            />
          )}
        </Card>
      </div>
    </>
  );
}
