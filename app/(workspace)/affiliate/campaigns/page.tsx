import Link from "next/link";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth";
import { listCampaigns } from "@/lib/campaigns";

export default async function CampaignsPage() {
  const user = await requirePermission("campaigns:read");
  const rows = await listCampaigns(getDb(), user.orgId);
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
                <Cell>{campaign.createdAt.toISOString().slice(0, 10)}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
