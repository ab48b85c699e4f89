import Link from "next/link";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listNetworkMerchants } from "@/lib/incoming/endpoints";

export default async function MerchantsPage() {
  const user = await requirePermission("offers:read");
  const rows = await listNetworkMerchants(getDb(), user.orgId);
  return (
    <>
      <PageHeader title="Merchants" description="The advertisers you run offers for, and whether their servers can post to you." />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="No merchants yet">Create an offer for a merchant, then an endpoint its server posts statuses to.</EmptyState>
        ) : (
          <Table head={["Merchant", "Offers", "Endpoints"]}>
            {rows.map((m) => (
              <tr key={m.id}>
                <Cell>{m.name}</Cell>
                <Cell><Link href="/network/offers" className="text-brand-700 hover:underline">{m.offers}</Link></Cell>
                <Cell>{m.endpoints === 0 ? <Link href="/network/endpoints" className="text-amber-700 hover:underline">none — add one</Link> : m.endpoints}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
