import { ActionButton } from "@/components/action-button";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listAffiliateMemberships, listJoinableNetworks } from "@/lib/access/memberships";
import { listAffiliateOffers } from "@/lib/tracking/offers";
import { affiliatePayouts } from "@/lib/program/manage";
import { requestMembershipAction } from "../actions";

export default async function AffiliateOffersPage() {
  const user = await requirePermission("offers:read");
  const db = getDb();
  const [offerRows, memberships, joinable] = await Promise.all([listAffiliateOffers(db, user.orgId), listAffiliateMemberships(db, user.orgId), listJoinableNetworks(db, user.orgId)]);
  const payouts = await affiliatePayouts(db, user.orgId, offerRows.map((r) => r.offer));
  return (
    <>
      <PageHeader title="Offers" description="What the networks that approved you let you promote, and the networks you can ask to join." />
      <div className="grid gap-6">
        <Card title="Offers you can promote">
          {offerRows.length === 0 ? (
            <EmptyState title="No offers yet">Ask a network to join below; its offers appear once it approves you.</EmptyState>
          ) : (
            <Table head={["Offer", "Network", "Your payout per goal", "Status"]}>
              {offerRows.map(({ offer, networkName }) => (
                <tr key={offer.id}>
                  <Cell>{offer.name}</Cell>
                  <Cell>{networkName}</Cell>
                  <Cell>
                    <ul className="space-y-0.5">
                      {(payouts.get(offer.id) ?? []).map((g) => (
                        <li key={g.key} data-goal={g.key}>
                          <span className="font-mono text-xs text-slate-500">{g.key}</span>{" "}
                          {g.kind === "percent" ? `${Number(g.payout)}% of sale` : `${Number(g.payout).toFixed(2)} ${offer.currency}`}
                          {g.byRule ? <span className="ml-1 text-xs text-emerald-700">(your rate)</span> : null}
                        </li>
                      ))}
                    </ul>
                  </Cell>
                  <Cell><StatusBadge status={offer.status} /></Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title="Networks">
          <Table head={["Network", "Your standing", ""]}>
            {memberships.map(({ membership, networkName }) => (
              <tr key={membership.id}>
                <Cell>{networkName}</Cell>
                <Cell><StatusBadge status={membership.status} /></Cell>
                <Cell>{null}</Cell>
              </tr>
            ))}
            {joinable.map((network) => (
              <tr key={network.id}>
                <Cell>{network.name}</Cell>
                <Cell><span className="text-slate-500">not a member</span></Cell>
                <Cell><ActionButton action={requestMembershipAction} input={{ networkId: network.id }} label="Request to join" /></Cell>
              </tr>
            ))}
          </Table>
        </Card>
      </div>
    </>
  );
}
