import { getTranslations } from "next-intl/server";
import { LocalTime } from "@/components/local-time";
import Link from "next/link";
import { CampaignForm } from "@/components/campaign-form";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listCampaigns } from "@/lib/tracking/campaigns";
import { listAffiliateOffers } from "@/lib/tracking/offers";

export default async function CampaignsPage() {
  const user = await requirePermission("campaigns:read");
  const [rows, offerRows] = await Promise.all([listCampaigns(getDb(), user.orgId), listAffiliateOffers(getDb(), user.orgId)]);
  const t = await getTranslations("affiliateCampaigns");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
        ) : (
          <Table head={[t("campaign"), t("offer"), t("created")]}>
            {rows.map(({ campaign, offerName }) => (
              <tr key={campaign.id}>
                <Cell>
                  <Link href={`/affiliate/campaigns/${campaign.id}`} className="font-medium text-brand-700 hover:underline">
                    {campaign.name}
                  </Link>
                </Cell>
                <Cell>{offerName}</Cell>
                <Cell><LocalTime iso={campaign.createdAt.toISOString()} /></Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <div className="mt-6">
        <Card title={t("newCampaign")}>
          {offerRows.length === 0 ? (
            <EmptyState title={t("noOffers")}>{t("noOffersHint")}</EmptyState>
          ) : (
            <CampaignForm offers={offerRows.map(({ offer, networkName }) => ({ id: offer.id, name: t("offerOfNetwork", { offer: offer.name, network: networkName }) }))} />
          )}
        </Card>
      </div>
    </>
  );
}
