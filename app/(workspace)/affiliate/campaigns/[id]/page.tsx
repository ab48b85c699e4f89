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
  const origin = await requestOrigin();
  return (
    <>
      <PageHeader title={campaign.campaign.name} description={`Offer: ${campaign.offerName}`} />
      <Card title="Tracking links">
        {campaign.links.length === 0 ? (
          <EmptyState title="No links in this campaign" />
        ) : (
          <Table head={["Name", "Link", ""]}>
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
          Add <code>sub1</code>…<code>sub10</code>, <code>source</code> and <code>aff_click_id</code> to a link to pass your own values
          through, e.g. <code>?sub1=newsletter&amp;aff_click_id=YOUR_CLICK_ID</code>.
        </p>
      </Card>
    </>
  );
}
