import Link from "next/link";
import { CopyButton } from "@/components/copy-button";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Stat, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listTrackingLinks } from "@/lib/tracking/campaigns";
import { listAffiliateMemberships } from "@/lib/access/memberships";
import { listAffiliateOffers } from "@/lib/tracking/offers";
import { listOwnPostbacks } from "@/lib/outgoing/postbacks";
import { requestOrigin } from "@/lib/platform/request-url";

export default async function AffiliateHome() {
  const user = await requirePermission("offers:read");
  const db = getDb();
  const [networks, offerRows, links, postbacks, origin] = await Promise.all([
    listAffiliateMemberships(db, user.orgId),
    listAffiliateOffers(db, user.orgId),
    listTrackingLinks(db, user.orgId),
    listOwnPostbacks(db, user.orgId),
    requestOrigin(),
  ]);
  return (
    <>
      <PageHeader title={`Welcome, ${user.name.split(" ")[0]}`} description="Your networks, offers, tracking links and postbacks." />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Networks" value={networks.filter((n) => n.membership.status === "approved").length} hint="approved memberships" />
        <Stat label="Offers" value={offerRows.length} hint="you can promote" />
        <Stat label="Tracking links" value={links.length} />
        <Stat label="Postbacks" value={postbacks.length} hint="to your tracker" />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Tracking links">
          {links.length === 0 ? (
            <EmptyState title="No tracking links yet">Create a campaign for an offer to get a link.</EmptyState>
          ) : (
            <ul className="space-y-3">
              {links.map(({ link, campaignName, offerName }) => {
                const url = `${origin}/c/${link.code}`;
                return (
                  <li key={link.id} className="rounded-lg border border-slate-100 p-3">
                    <p className="text-sm font-medium">
                      <Link href={`/affiliate/campaigns/${link.campaignId}`} className="hover:underline">
                        {campaignName}
                      </Link>{" "}
                      <span className="text-slate-500">· {offerName}</span>
                    </p>
                    <div className="mt-2 flex items-center gap-2">
                      <code className="min-w-0 flex-1 truncate rounded bg-slate-50 px-2 py-1 text-xs">{url}</code>
                      <CopyButton value={url} />
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card title="Networks">
          {networks.length === 0 ? (
            <EmptyState title="You are not in any network yet">Ask a network for an invitation.</EmptyState>
          ) : (
            <Table head={["Network", "Status"]}>
              {networks.map(({ membership, networkName }) => (
                <tr key={membership.id}>
                  <Cell>{networkName}</Cell>
                  <Cell>
                    <StatusBadge status={membership.status} />
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title="Offers">
          {offerRows.length === 0 ? (
            <EmptyState title="No offers yet">Offers appear once a network approves you.</EmptyState>
          ) : (
            <Table head={["Offer", "Network", "Payout"]}>
              {offerRows.map(({ offer, networkName }) => (
                <tr key={offer.id}>
                  <Cell>{offer.name}</Cell>
                  <Cell>{networkName}</Cell>
                  <Cell>
                    {Number(offer.defaultPayout).toFixed(2)} {offer.currency}
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title="Postbacks to your tracker">
          {postbacks.length === 0 ? (
            <EmptyState title="No postbacks yet">Add one so your tracker hears about each conversion.</EmptyState>
          ) : (
            <ul className="space-y-3">
              {postbacks.map((pb) => (
                <li key={pb.id} className="text-sm">
                  <p className="flex items-center gap-2 font-medium">
                    {pb.name} <StatusBadge status={pb.enabled ? "enabled" : "paused"} />
                  </p>
                  <code className="mt-1 block truncate text-xs text-slate-500">
                    {pb.method} {pb.urlTemplate}
                  </code>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
