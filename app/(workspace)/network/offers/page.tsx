import Link from "next/link";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth";
import { listNetworkOffers } from "@/lib/offers";

export default async function NetworkOffersPage() {
  const user = await requirePermission("offers:read");
  const rows = await listNetworkOffers(getDb(), user.orgId);
  return (
    <>
      <PageHeader title="Offers" description="What your affiliates promote, and what each conversion pays." />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="No offers yet">Create an offer for one of your merchants.</EmptyState>
        ) : (
          <Table head={["Offer", "Merchant", "Payout", "Revenue", "Status"]}>
            {rows.map(({ offer, merchantName }) => (
              <tr key={offer.id}>
                <Cell>
                  <Link href={`/network/offers/${offer.id}`} className="font-medium text-brand-700 hover:underline">
                    {offer.name}
                  </Link>
                </Cell>
                <Cell>{merchantName}</Cell>
                <Cell>
                  {Number(offer.defaultPayout).toFixed(2)} {offer.currency}
                </Cell>
                <Cell>
                  {Number(offer.defaultRevenue).toFixed(2)} {offer.currency}
                </Cell>
                <Cell>
                  <StatusBadge status={offer.status} />
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
