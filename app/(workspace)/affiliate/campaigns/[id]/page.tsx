import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { CopyButton } from "@/components/copy-button";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { getCampaign } from "@/lib/tracking/campaigns";
import { requestOrigin } from "@/lib/platform/request-url";

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("campaigns:read");
  const { id } = await params;
  const campaign = await getCampaign(getDb(), user.orgId, id);
  if (!campaign) notFound();
  const [origin, t] = await Promise.all([requestOrigin(), getTranslations("affiliateCampaigns")]);
  return (
    <>
      <PageHeader title={campaign.campaign.name} description={t("offerLine", { offer: campaign.offerName })} />
      <Card title={t("trackingLinks")}>
        {campaign.links.length === 0 ? (
          <EmptyState title={t("noLinks")} />
        ) : (
          <Table head={[t("name"), t("link"), ""]}>
            {campaign.links.map((link) => {
              const url = `${origin}/c/${link.code}`;
              return (
                <tr key={link.id}>
                  <Cell>{link.name ?? "—"}</Cell>
                  <Cell mono>{url}</Cell>
                  <Cell>
                    <CopyButton value={url} />
                  </Cell>
                </tr>
              );
            })}
          </Table>
        )}
        <p className="mt-4 text-xs text-slate-500">
          {t.rich("subsHint", { code: (chunks) => <code>{chunks}</code> })}
        </p>
      </Card>
    </>
  );
}
