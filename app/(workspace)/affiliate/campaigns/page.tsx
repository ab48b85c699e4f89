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
  return (
    <>
      <PageHeader title="Campaigns" description="Groups of tracking links, one offer each." />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="No campaigns yet">Pick an offer of one of your networks to start one.</EmptyState>
        ) : (
          <Table head={["Campaign", "Offer", "Created"]}>
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
        <Card title="New campaign">
          {offerRows.length === 0 ? (
            <EmptyState title="No offers to promote yet">Ask a network to join under Offers.</EmptyState>
          ) : (
            <CampaignForm offers={offerRows.map(({ offer, networkName }) => ({ id: offer.id, name: `${offer.name} — ${networkName}` }))} />
          )}
        </Card>
      </div>
    </>
  );
}
