import Link from "next/link";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Stat, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { endpointPath, listNetworkEndpoints } from "@/lib/incoming/endpoints";
import { listNetworkMemberships } from "@/lib/access/memberships";
import { listNetworkOffers } from "@/lib/tracking/offers";
import { organizationTimeZone } from "@/lib/program/manage";
import { TimeZoneForm } from "@/components/time-zone-form";

export default async function NetworkHome() {
  const user = await requirePermission("offers:read");
  const db = getDb();
  const [offerRows, members, endpoints] = await Promise.all([
    listNetworkOffers(db, user.orgId),
    listNetworkMemberships(db, user.orgId),
    listNetworkEndpoints(db, user.orgId),
  ]);
  const merchants = new Set(offerRows.map((o) => o.offer.merchantId));
  const timeZone = await organizationTimeZone(db, user.orgId);
  return (
    <>
      <PageHeader title={user.orgName} description="Offers, affiliates and the endpoints your merchants post to." />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Offers" value={offerRows.length} hint={`${offerRows.filter((o) => o.offer.status === "active").length} active`} />
        <Stat label="Merchants" value={merchants.size} />
        <Stat label="Affiliates" value={members.filter((m) => m.membership.status === "approved").length} hint="approved" />
        <Stat label="Pending requests" value={members.filter((m) => m.membership.status === "pending").length} />
      </div>
      <div className="mb-6">
        <Card title="Time zone">
          <p className="mb-3 text-sm text-slate-600">Caps and stats count days in this time zone ({timeZone}).</p>
          <TimeZoneForm timeZone={timeZone} />
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Offers" footer={<Link href="/network/offers" className="text-brand-700 hover:underline">All offers →</Link>}>
          {offerRows.length === 0 ? (
            <EmptyState title="No offers yet">Create an offer for one of your merchants.</EmptyState>
          ) : (
            <Table head={["Offer", "Merchant", "Status"]}>
              {offerRows.slice(0, 5).map(({ offer, merchantName }) => (
                <tr key={offer.id}>
                  <Cell>
                    <Link href={`/network/offers/${offer.id}`} className="font-medium text-brand-700 hover:underline">
                      {offer.name}
                    </Link>
                  </Cell>
                  <Cell>{merchantName}</Cell>
                  <Cell>
                    <StatusBadge status={offer.status} />
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title="Incoming endpoints">
          {endpoints.length === 0 ? (
            <EmptyState title="No endpoints yet">Create one per merchant so its server can post statuses.</EmptyState>
          ) : (
            <Table head={["Endpoint", "Merchant", "URL path"]}>
              {endpoints.map((e) => (
                <tr key={e.id}>
                  <Cell>{e.name}</Cell>
                  <Cell>{e.merchantName}</Cell>
                  <Cell mono>{endpointPath(e.id)}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
